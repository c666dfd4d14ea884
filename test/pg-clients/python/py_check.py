"""psycopg2 and SQLAlchemy's inspector against a Nemeton node; prints one JSON object of results.
Usage: python3 py_check.py PORT USER PASSWORD"""
import json
import sys
import threading
import time

import psycopg2
import psycopg2.extensions
import sqlalchemy
from sqlalchemy import inspect, text

port, user, password = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
dsn = dict(host="127.0.0.1", port=port, user=user, password=password, dbname="nemeton")
try:
    psycopg2.connect(**{**dsn, "password": "wrong"}).close()
    out["wrongPassword"] = "accepted"
except psycopg2.OperationalError as e:
    out["wrongPassword"] = "refused" if "password authentication failed" in str(e) else str(e)

conn = psycopg2.connect(**dsn)
conn.autocommit = True
cur = conn.cursor()
cur.execute("SELECT country, qty FROM sales WHERE product = %s AND qty > %s ORDER BY qty", ("apple", 3))
out["params"] = cur.fetchall()
out["description"] = [(d.name, d.type_code) for d in cur.description]
cur.execute("SELECT %s::text AS s, %s AS n", ("it's", 42))
out["quoting"] = cur.fetchall()
def cancel_later():
    time.sleep(0.3)
    conn.cancel()
threading.Thread(target=cancel_later).start()
try:
    cur.execute("SELECT COUNT(*) FROM (SELECT a, (SELECT COUNT(*) FROM pg_catalog.pg_type t WHERE t.oid = a) AS n FROM generate_series(1, 1000000) a) x")
    out["cancel"] = "completed"
except psycopg2.Error as e:
    out["cancel"] = e.pgcode
cur.execute("SELECT 1")
out["afterCancel"] = cur.fetchone()[0]
conn.close()

engine = sqlalchemy.create_engine(f"postgresql+psycopg2://{user}:{password}@127.0.0.1:{port}/nemeton")
with engine.connect() as c:
    out["sqlalchemyRows"] = [list(r) for r in c.execute(text("SELECT product, SUM(qty) AS n FROM sales WHERE country = :c GROUP BY product ORDER BY product"), {"c": "US"})]
insp = inspect(engine)
out["defaultSchema"] = insp.default_schema_name
out["schemas"] = insp.get_schema_names()
out["tables"] = insp.get_table_names()
out["views"] = insp.get_view_names(schema="sys")
out["columns"] = [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns("sales")]
out["pk"] = insp.get_pk_constraint("sales")
out["fks"] = insp.get_foreign_keys("sales")
out["indexes"] = insp.get_indexes("sales")
print(json.dumps(out))
