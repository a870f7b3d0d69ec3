package dev.ddlguard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The first words that end a transaction or mark a point in it (PostgreSQL manual, "SQL Commands"). */
class TransactionControlTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', nullValues = "-", textBlock = """
            COMMIT                                 | COMMIT      | -
            ~  commit ;~                           | COMMIT      | -
            END WORK                               | COMMIT      | -
            COMMIT AND CHAIN                       | COMMIT      | -
            ~/* before */ ROLLBACK~                | ROLLBACK    | -
            ~-- before\nABORT~                     | ROLLBACK    | -
            ROLLBACK TRANSACTION                   | ROLLBACK    | -
            ROLLBACK TO SAVEPOINT Sp1              | ROLLBACK_TO | sp1
            rollback work to "Mixed"               | ROLLBACK_TO | "Mixed"
            SAVEPOINT A_1                          | SAVEPOINT   | a_1
            ~PREPARE TRANSACTION 'gid'~            | PREPARE     | -
            ~COMMIT PREPARED 'gid'~                | -           | -
            ~ROLLBACK PREPARED 'gid'~              | -           | -
            PREPARE s AS SELECT 1                  | -           | -
            COMMITTED                              | -           | -
            SELECT 1                               | -           | -
            ~~                                     | -           | -
            ~/* unterminated~                      | -           | -
            """)
    void recognises(String sql, String kind, String savepoint) {
        TransactionControl control = TransactionControl.of(sql.replace("\\n", "\n"));
        if (kind == null) {
            assertThat(control).isNull();
            return;
        }
        assertThat(control.kind()).isEqualTo(TransactionControl.Kind.valueOf(kind));
        assertThat(control.savepoint()).isEqualTo(savepoint);
    }

    @ParameterizedTest
    @CsvSource({"200", "201"})
    void onlyShortStatementsAreLookedAt(int length) {
        String sql = "ROLLBACK" + " ".repeat(length - "ROLLBACK".length());
        assertThat(TransactionControl.of(sql))
                .isEqualTo(
                        length <= TransactionControl.MAX_LENGTH
                                ? new TransactionControl(TransactionControl.Kind.ROLLBACK, null)
                                : null);
    }
}
