package io.queuack.storage.sql;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Where the shared SQL code of the stores gets its statements: a DuckDB store keeps them prepared on its one
 * connection, a PostgreSQL store prepares them on the pooled connection of the current transaction and closes
 * them when it ends. Callers never close what {@link #prepare} returns.
 */
public interface StatementSource {

    /** @return a prepared statement for {@code sql}, valid until the current transaction ends */
    PreparedStatement prepare(String sql) throws SQLException;

    /** @return an SQL array of {@code values} whose elements have the SQL type {@code type} (VARCHAR, BIGINT) */
    Array array(String type, Object[] values) throws SQLException;
}
