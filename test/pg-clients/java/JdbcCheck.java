import java.sql.*;
import java.util.*;

/**
 * Drives pgJDBC against a Nemeton node and prints one line per check ("name: value"), for
 * test/pg-clients/jdbc.test.ts to compare. Usage: java -cp postgresql.jar JdbcCheck.java PORT [USER PASSWORD]
 */
public class JdbcCheck {
  static void out(String name, Object value) { System.out.println(name + ": " + value); }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/nemeton";
    String user = args.length > 1 ? args[1] : "admin";
    String password = args.length > 2 ? args[2] : "";
    try {
      DriverManager.getConnection(url, user, "wrong-" + password).close();
      out("wrongPassword", "accepted");
    } catch (SQLException e) {
      out("wrongPassword", e.getSQLState());
    }
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      // Prepared statement with parameters, reused (pgJDBC switches to a named server-side statement after 5 uses).
      try (PreparedStatement ps = c.prepareStatement("SELECT country, SUM(qty) AS n FROM sales WHERE product = ? AND qty >= ? GROUP BY country ORDER BY country")) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 7; i++) {
          ps.setString(1, i % 2 == 0 ? "apple" : "pear");
          ps.setLong(2, 1);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) sb.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
          }
          sb.append('|');
        }
        out("prepared", sb.toString().trim());
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT __time, country, qty, price FROM sales ORDER BY __time LIMIT 1")) {
        ResultSetMetaData md = rs.getMetaData();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) sb.append(md.getColumnName(i)).append(':').append(md.getColumnTypeName(i)).append(':').append(md.getColumnType(i)).append(' ');
        out("metadata", sb.toString().trim());
        rs.next();
        out("firstRow", rs.getTimestamp(1).toInstant() + " " + rs.getString(2) + " " + rs.getLong(3) + " " + rs.getDouble(4));
      }
      // Cancel a slow query from another thread.
      try (Statement st = c.createStatement()) {
        Thread t = new Thread(() -> { try { Thread.sleep(300); st.cancel(); } catch (Exception e) { } });
        t.start();
        long start = System.nanoTime();
        try {
          st.executeQuery("SELECT COUNT(*) FROM (SELECT a, (SELECT COUNT(*) FROM pg_catalog.pg_type t WHERE t.oid = a) AS n FROM generate_series(1, 1000000) a) x");
          out("cancel", "completed");
        } catch (SQLException e) {
          out("cancel", e.getSQLState());
        }
        out("cancelFast", (System.nanoTime() - start) / 1_000_000 < 20000);
        t.join();
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) { rs.next(); out("afterCancel", rs.getInt(1)); }
      DatabaseMetaData md = c.getMetaData();
      out("product", md.getDatabaseProductName() + " " + md.getDatabaseMajorVersion());
      out("schemas", list(md.getSchemas(), "TABLE_SCHEM"));
      out("tables", list(md.getTables(null, "public", "%", new String[] {"TABLE"}), "TABLE_NAME"));
      out("views", list(md.getTables(null, "sys", "%", new String[] {"VIEW"}), "TABLE_NAME"));
      out("columns", list(md.getColumns(null, "public", "sales", "%"), "COLUMN_NAME", "TYPE_NAME", "DATA_TYPE", "ORDINAL_POSITION"));
      out("primaryKeys", list(md.getPrimaryKeys(null, "public", "sales"), "COLUMN_NAME"));
      out("typeInfo", list(md.getTypeInfo(), "TYPE_NAME").contains("int8"));
    }
  }

  static List<String> list(ResultSet rs, String... columns) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (String col : columns) sb.append(sb.length() > 0 ? "/" : "").append(rs.getString(col));
        out.add(sb.toString());
      }
    }
    return out;
  }
}
