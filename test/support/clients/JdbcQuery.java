// Runs one SQL statement through the PostgreSQL JDBC driver and prints the result as JSON on stdout:
// {"columns":[...],"rows":[[...],...]} (values as strings, SQL NULL as null) or {"updateCount":n}.
// Usage: java -cp postgresql.jar JdbcQuery.java <jdbc-url> <user> <password|""> <sql>
// Used by test/support/pg-clients.ts; a failure prints "SQLSTATE <code>: <message>" on stderr, exit 1.
import java.sql.*;

public class JdbcQuery {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], args[1], args[2].isEmpty() ? null : args[2]);
         Statement s = c.createStatement()) {
      StringBuilder out = new StringBuilder();
      if (s.execute(args[3])) {
        try (ResultSet rs = s.getResultSet()) {
          ResultSetMetaData md = rs.getMetaData();
          int n = md.getColumnCount();
          out.append("{\"columns\":[");
          for (int i = 1; i <= n; i++) out.append(i > 1 ? "," : "").append(quote(md.getColumnLabel(i)));
          out.append("],\"types\":[");
          for (int i = 1; i <= n; i++) out.append(i > 1 ? "," : "").append(quote(md.getColumnTypeName(i)));
          out.append("],\"rows\":[");
          boolean first = true;
          while (rs.next()) {
            out.append(first ? "[" : ",[");
            first = false;
            for (int i = 1; i <= n; i++) out.append(i > 1 ? "," : "").append(quote(rs.getString(i)));
            out.append("]");
          }
          out.append("]}");
        }
      } else {
        out.append("{\"updateCount\":").append(s.getUpdateCount()).append("}");
      }
      System.out.println(out);
    } catch (SQLException e) {
      System.err.println("SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  static String quote(String v) {
    if (v == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char ch : v.toCharArray()) {
      switch (ch) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
          else b.append(ch);
      }
    }
    return b.append('"').toString();
  }
}
