package dev.ddlguard.bench;

import dev.ddlguard.sql.DdlPreFilter;
import dev.ddlguard.sql.SqlSyntax;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The pre-filter alone on non-DDL SQL of a given length: the only ddlguard work an ordinary
 * statement pays. Texts are realistic DML (quoted literals, identifiers that contain DDL words
 * such as created_at or drop_count, a comment), so the filter cannot stop at the first character.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PreFilterBench {

    @Param({"50", "500", "5000"})
    public int length;

    private String sql;

    @Setup
    public void setUp() {
        sql = nonDdl(length);
        if (DdlPreFilter.mightContainDdl(sql, SqlSyntax.POSTGRESQL)) {
            throw new IllegalStateException("pre-filter flags the non-DDL text: " + sql);
        }
    }

    /** A SELECT of exactly {@code length} characters (padded with predicates, then spaces). */
    static String nonDdl(int length) {
        StringBuilder sb = new StringBuilder("SELECT o.id, o.created_at FROM orders o WHERE 1=1");
        String[] predicates = {
            " AND o.status = 'altered by user'",
            " AND o.drop_count < 3",
            " /* recent rows */ AND o.updated_at > now()",
            " AND o.customer_id IN (SELECT c.id FROM customer c WHERE c.region = 'EU')",
            " AND o.total_amount BETWEEN 10 AND 500",
        };
        for (int i = 0; sb.length() < length; i++) {
            sb.append(predicates[i % predicates.length]);
        }
        sb.setLength(length);
        return sb.toString();
    }

    @Benchmark
    public boolean mightContainDdl() {
        return DdlPreFilter.mightContainDdl(sql, SqlSyntax.POSTGRESQL);
    }
}
