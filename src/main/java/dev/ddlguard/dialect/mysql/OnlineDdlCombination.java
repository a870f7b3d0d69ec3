package dev.ddlguard.dialect.mysql;

import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.COPY;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INPLACE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm.INSTANT;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.NONE;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock.SHARED;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MARIADB_11_2;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MYSQL_5_7;
import static dev.ddlguard.dialect.mysql.OnlineDdlMatrix.MYSQL_8_0_12;

import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Algorithm;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Flavour;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Lock;
import dev.ddlguard.dialect.mysql.OnlineDdlMatrix.Support;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one ALTER statement carrying several online-DDL operations can do: the weakest operation decides,
 * and some combinations (an instant column change with an index build, a VIRTUAL column with other
 * column changes) are weaker still.
 */
final class OnlineDdlCombination {

    private OnlineDdlCombination() {}

    /**
     * The weakest of several supports: the weakest algorithm, the most blocking lock, a rebuild if
     * any rebuilds. This is the plain rule; {@link #combine(Flavour, int, List, boolean)} adds what
     * the servers do beyond it when particular operations meet.
     */
    static Support combine(List<Support> supports) {
        if (supports.isEmpty()) {
            throw new IllegalArgumentException("no operations");
        }
        if (supports.size() == 1) {
            return supports.get(0);
        }
        Algorithm algorithm = INSTANT;
        Lock lock = NONE;
        boolean rebuild = false;
        Set<String> notes = new LinkedHashSet<>();
        for (Support s : supports) {
            if (algorithm.strongerThan(s.algorithm())) {
                algorithm = s.algorithm();
            }
            if (s.lock().ordinal() > lock.ordinal()) {
                lock = s.lock();
            }
            rebuild |= s.rebuildsTable();
        }
        for (Support s : supports) {
            if (s.algorithm() == algorithm || s.lock() == lock && lock != NONE) {
                notes.add(s.note());
            }
        }
        return new Support(
                algorithm, lock, rebuild, "Several operations: the weakest decides. " + String.join(" ", notes));
    }

    /** {@link #combine(Flavour, int, List, boolean)} on a table without a FULLTEXT index. */
    static Support combine(Flavour flavour, int version, List<OnlineDdlOperation> ops) {
        return combine(flavour, version, ops, false);
    }

    /**
     * What one ALTER statement carrying all of {@code ops} can do. The weakest operation decides,
     * and some combinations are weaker still:
     * <ul>
     * <li>MariaDB (measured): an instant column-layout change (ADD/DROP/reorder column) together
     * with building an index is neither INSTANT nor NOCOPY (1845 "Try ALGORITHM=INPLACE"): the
     * table is rebuilt.</li>
     * <li>Adding or dropping a VIRTUAL column together with another column change is COPY only
     * (MariaDB measured: 1846 "cannot be combined with other ALTER TABLE actions"; MySQL 5.7 manual:
     * "cannot be combined with other ALTER TABLE actions"; MySQL 8.0 manual: with a column rename,
     * "only ALGORITHM=COPY is supported").</li>
     * <li>MySQL: "A statement cannot combine the addition of a column with other ALTER TABLE
     * actions that do not support the INSTANT algorithm": the instant operations then run in place,
     * and ADD/DROP COLUMN in place rebuild the table.</li>
     * </ul>
     * The note says which operations to split into their own statement to keep them instant.
     */
    static Support combine(Flavour flavour, int version, List<OnlineDdlOperation> ops, boolean tableHasFulltextIndex) {
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("no operations");
        }
        List<Support> each = new ArrayList<>();
        for (OnlineDdlOperation op : ops) {
            each.add(OnlineDdlMatrix.support(flavour, version, op, tableHasFulltextIndex));
        }
        if (ops.size() == 1) {
            return each.get(0);
        }
        Support result = combine(each);
        List<String> instantOnes = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (each.get(i).algorithm() == INSTANT) {
                instantOnes.add(ops.get(i).name());
            }
        }

        boolean virtual = ops.stream().anyMatch(OnlineDdlOperation::addsOrDropsVirtualColumn);
        if (virtual) {
            boolean conflicts = false;
            for (OnlineDdlOperation other : ops) {
                if (other.addsOrDropsVirtualColumn()) {
                    continue;
                }
                conflicts |= switch (flavour) {
                    case MARIADB -> other.isColumnOperation();
                    case MYSQL -> version < MYSQL_8_0_12 || other == OnlineDdlOperation.RENAME_COLUMN;
                };
            }
            if (conflicts) {
                result = weaker(
                                result,
                                new Support(
                                        COPY,
                                        flavour == Flavour.MARIADB && version >= MARIADB_11_2 ? NONE : SHARED,
                                        true,
                                        ""))
                        .withNote("Adding or dropping a VIRTUAL column cannot be combined with other column changes in"
                                + " place: COPY. Split it into its own statement.");
            }
        }

        if (flavour == Flavour.MARIADB) {
            boolean instantLayout = false;
            for (int i = 0; i < ops.size(); i++) {
                instantLayout |= ops.get(i).changesColumnLayout() && each.get(i).algorithm() == INSTANT;
            }
            boolean buildsIndex = ops.stream().anyMatch(OnlineDdlOperation::buildsIndex);
            if (instantLayout && buildsIndex) {
                result = weaker(result, new Support(INPLACE, NONE, true, ""))
                        .withNote("Measured: an instant column change together with an index build is neither INSTANT"
                                + " nor NOCOPY (1845): the table is rebuilt. Add the column and the index in separate"
                                + " statements to keep both cheap.");
            }
        } else if (result.algorithm() != INSTANT) {
            boolean fellBack = false;
            for (int i = 0; i < ops.size(); i++) {
                if (each.get(i).algorithm() == INSTANT) {
                    // The operation's in-place form is its row from before INSTANT existed.
                    Support inPlace = MySqlOnlineDdl.support(ops.get(i), MYSQL_5_7);
                    if (inPlace.rebuildsTable() && !result.rebuildsTable()) {
                        fellBack = true;
                    }
                    result = weaker(result, inPlace);
                }
            }
            if (fellBack) {
                result =
                        result.withNote("An instant ADD/DROP COLUMN combined with a non-instant operation runs in place"
                                + " and rebuilds the table. Split " + String.join(", ", instantOnes)
                                + " into its own statement to keep it INSTANT.");
            }
        }
        if (result.algorithm() != INSTANT
                && !instantOnes.isEmpty()
                && !result.note().contains("Split")) {
            result = result.withNote(
                    "Split " + String.join(", ", instantOnes) + " into its own statement to keep it INSTANT.");
        }
        return result;
    }

    private static Support weaker(Support a, Support b) {
        Algorithm algorithm = a.algorithm().strongerThan(b.algorithm()) ? b.algorithm() : a.algorithm();
        Lock lock = a.lock().ordinal() >= b.lock().ordinal() ? a.lock() : b.lock();
        return new Support(algorithm, lock, a.rebuildsTable() || b.rebuildsTable(), a.note());
    }
}
