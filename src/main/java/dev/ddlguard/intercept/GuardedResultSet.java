package dev.ddlguard.intercept;

import dev.ddlguard.engine.Judgement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Every {@code ResultSet} handed out by a guarded connection. The driver's result set would lead back
 * to the driver's statement through {@code getStatement()}, and from there to the unguarded
 * connection; this one returns the guarded statement instead (null for metadata). Arrays and cursors
 * read from its columns are wrapped too ({@link EscapeHatches#value}), in the value hooks every getter
 * and updater of such a value passes through ({@link ForwardingResultSet}, generated). {@code unwrap} still returns the
 * driver's object on request: an explicit, documented way out, not an accident.
 *
 * <p>Hand-written rather than a {@code java.lang.reflect.Proxy}: {@code next()} and the getters are one
 * direct call each, with no reflection, no argument array and no boxing, and a select costs one small
 * object. This class holds only the calls with logic; {@link ForwardingResultSet} forwards all the others.
 */
final class GuardedResultSet extends ForwardingResultSet {

    /** The guarded statement that produced this result set; null for metadata. */
    private final Statement statement;

    /** The system catalog table the rows are read from ({@link #writtenByDriver}), once read; null when none. */
    private String catalogTable;

    private boolean catalogTableRead;

    /** For a result set of no guarded statement (metadata): told when the driver's object is handed out; or null. */
    private final Runnable handedOut;

    GuardedResultSet(ResultSet delegate, Statement statement) {
        this(delegate, statement, null);
    }

    GuardedResultSet(ResultSet delegate, Statement statement, Runnable handedOut) {
        super(delegate);
        this.statement = statement;
        this.handedOut = handedOut;
    }

    // ------------------------------------------------------------------ back doors: lead to guarded objects only

    @Override
    public Statement getStatement() {
        return statement;
    }

    /** Every array and object value read from a column (getArray, getObject): a cursor or an array is wrapped. */
    @Override
    protected <T> T fromDriver(T value, Class<T> type) {
        return EscapeHatches.value(value, type, statement);
    }

    /** Arrays go back to the driver unwrapped. */
    @Override
    protected Object toDriver(Object value) {
        return GuardedArray.unwrapped(value);
    }

    // ------------------------------------------------------------------ rows written by the driver's own SQL

    @Override
    public void updateRow() throws SQLException {
        writtenByDriver("UPDATE", "updateRow", () -> super.updateRow());
    }

    @Override
    public void insertRow() throws SQLException {
        writtenByDriver("INSERT INTO", "insertRow", () -> super.insertRow());
    }

    @Override
    public void deleteRow() throws SQLException {
        writtenByDriver("DELETE FROM", "deleteRow", () -> super.deleteRow());
    }

    private interface RowWrite {
        void run() throws SQLException;
    }

    /**
     * An updatable result set writes its table with SQL the driver builds, which no guarded call carries: one over a
     * system catalog (MySQL's mysql schema, PostgreSQL's pg_catalog) is judged as the write it is, under the name its
     * columns report (an outside tester rewrote a routine's body in mysql.proc through updateRow, and its next CALL
     * dropped a table). Any other table is written as without the guard.
     */
    private void writtenByDriver(String verb, String method, RowWrite write) throws SQLException {
        if (!catalogTableRead) { // the metadata is read once per result set, not at every row written
            catalogTable = statement instanceof GuardedStatement ? catalogTable() : null;
            catalogTableRead = true;
        }
        String table = catalogTable;
        if (table == null) {
            write.run();
            return;
        }
        GuardedStatement guarded = (GuardedStatement) statement;
        Judgement j = guarded.guard.judge(verb + " " + table + " /* ResultSet." + method + "() */");
        if (j == null) {
            write.run();
            return;
        }
        guarded.guard.execute(
                j,
                sql -> {
                    write.run();
                    return null;
                },
                null);
    }

    /** The table of the first column read from a system catalog, qualified as the driver reports it; else null. */
    private String catalogTable() throws SQLException {
        ResultSetMetaData md = delegate.getMetaData();
        for (int i = 1; md != null && i <= md.getColumnCount(); i++) {
            String schema = md.getSchemaName(i);
            schema = schema == null || schema.isEmpty() ? md.getCatalogName(i) : schema;
            String table = md.getTableName(i);
            if ((schema == null || schema.isEmpty()) && table != null && table.regionMatches(true, 0, "pg_", 0, 3)) {
                schema = baseSchema(md, i); // pgjdbc answers "" here: an outside tester's updateRow() renamed a table
            }
            if (schema != null
                    && table != null
                    && !table.isEmpty()
                    && (schema.equalsIgnoreCase("mysql") || schema.equalsIgnoreCase("pg_catalog"))) {
                return schema + "." + table; // catalog tables' names need no quotes
            }
        }
        return null;
    }

    /**
     * pgjdbc's schema of a column's table, which only its own PGResultSetMetaData.getBaseSchemaName tells (no compile
     * dependency on the driver: looked up by name, once per updatable result set written). pg_catalog when it cannot
     * be asked: the safe side, a user table named pg_… is then judged as a catalog.
     */
    private static String baseSchema(ResultSetMetaData md, int column) {
        try {
            Object schema =
                    md.getClass().getMethod("getBaseSchemaName", int.class).invoke(md, column);
            return schema instanceof String s && !s.isEmpty() ? s : "pg_catalog";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "pg_catalog";
        }
    }

    // ------------------------------------------------------------------ wrapper and identity

    /** This result set when it is of the requested type; the driver's otherwise (an explicit way out). */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (statement instanceof GuardedStatement guarded) {
            guarded.handedOutDriverObject(); // the driver's result set leads to the driver's statement
        } else if (handedOut != null) {
            handedOut.run(); // a metadata result set: the driver's leads to the driver's connection
        }
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return wraps(iface);
    }
}
