"""Runs one SQL statement through psycopg2 or SQLAlchemy and prints JSON on stdout:
{"columns": [...], "rows": [[...], ...]} (values as str, SQL NULL as null) or {"rowcount": n}.
Usage: /usr/bin/python3 py_query.py psycopg2|sqlalchemy <host> <port> <user> <password|""> <database> <sql>
Used by test/support/pg-clients.ts; a failure prints "SQLSTATE <code>: <message>" on stderr, exit 1."""
import json
import sys


def as_text(v):
    return None if v is None else str(v)


def main():
    driver, host, port, user, password, database, sql = sys.argv[1:8]
    import psycopg2

    try:
        if driver == "psycopg2":
            conn = psycopg2.connect(host=host, port=int(port), user=user, password=password or None, dbname=database)
            conn.autocommit = True
            cur = conn.cursor()
            cur.execute(sql)
            if cur.description is None:
                out = {"rowcount": cur.rowcount}
            else:
                out = {"columns": [d[0] for d in cur.description], "rows": [[as_text(v) for v in r] for r in cur.fetchall()]}
            conn.close()
        elif driver == "sqlalchemy":
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import URL

            url = URL.create("postgresql+psycopg2", username=user, password=password or None, host=host, port=int(port), database=database)
            engine = create_engine(url)
            with engine.connect() as conn:
                res = conn.execute(text(sql))
                if res.returns_rows:
                    out = {"columns": list(res.keys()), "rows": [[as_text(v) for v in r] for r in res.fetchall()]}
                else:
                    out = {"rowcount": res.rowcount}
            engine.dispose()
        else:
            raise SystemExit("unknown driver " + driver)
    except psycopg2.Error as e:
        sys.stderr.write("SQLSTATE %s: %s\n" % (e.pgcode, str(e).strip()))
        sys.exit(1)
    except Exception as e:  # SQLAlchemy wraps DBAPI errors
        orig = getattr(e, "orig", None)
        code = getattr(orig, "pgcode", None)
        sys.stderr.write("SQLSTATE %s: %s\n" % (code, str(orig or e).strip()))
        sys.exit(1)
    print(json.dumps(out))


main()
