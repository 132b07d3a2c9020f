#!/usr/bin/python3
"""SQLAlchemy's ORM doing the work of the session benchmarks, as a peer (not a test).

    /usr/bin/python3 bench/sqlalchemy_session_peer.py --db memory [--rows N] [--reps N]
    /usr/bin/python3 bench/sqlalchemy_session_peer.py --db postgresql://... [--rows N] [--reps N]

Debian's python3-sqlalchemy (1.4, run with future=True) and python3-psycopg2;
the interpreter is /usr/bin/python3, where apt installs them.

S1   make N objects, session.add_all, flush, read every key (and, in the
     "eager" variant, the server default created_at, which SQLAlchemy then
     fetches in the flush), commit. The ORM part of sqlite_session_bench's S1.
S2   session.scalars(select(Member)).all(), change one column on each, commit.

Prints one line per case and variant: the median wall time in ms over --reps
timed runs after one warm-up, and writes them as JSON with --json.
"""
import argparse
import json
import os
import statistics
import sys
import time

import sqlalchemy
from sqlalchemy import Column, DateTime, Float, Integer, Text, create_engine, func, select, text
from sqlalchemy.orm import Session, declarative_base

# ctorm's SQLite default for now(): text with microseconds.
SQLITE_NOW = text("(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')")


def models(eager, dialect):
    Base = declarative_base()
    now = SQLITE_NOW if dialect == "sqlite" else func.now()

    class Member(Base):
        __tablename__ = "members_insert" if eager is not None else "members"
        id = Column(Integer, primary_key=True)
        name = Column(Text, nullable=False)
        email = Column(Text, nullable=False)
        age = Column(Integer, nullable=False)
        score = Column(Float, nullable=False)
        created_at = Column(DateTime, nullable=False, server_default=now)
        __mapper_args__ = {"eager_defaults": bool(eager)}

    return Base, Member


def make_rows(n):
    return [("member %d" % i, "member%d@example.com" % i, i % 90, i * 0.25 + 0.5) for i in range(n)]


def median_ms(samples):
    return statistics.median(samples) * 1000.0


def run_s1(engine, dialect, rows, reps, eager):
    Base, Member = models(eager, dialect)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    samples = []
    for rep in range(reps + 1):
        with engine.begin() as c:
            if dialect == "postgresql":
                c.execute(text('TRUNCATE "members_insert" RESTART IDENTITY'))
            else:
                c.execute(text('DELETE FROM "members_insert"'))
        start = time.perf_counter()
        with Session(engine, future=True) as s:
            objects = [Member(name=n, email=e, age=a, score=sc) for (n, e, a, sc) in rows]
            s.add_all(objects)
            s.flush()
            keys = sum(o.id for o in objects)
            if eager:
                stamped = sum(1 for o in objects if o.created_at is not None)
            s.commit()
        elapsed = time.perf_counter() - start
        if keys != len(rows) * (len(rows) + 1) // 2:
            raise SystemExit("S1: the keys read back are not 1..N")
        if eager and stamped != len(rows):
            raise SystemExit("S1: created_at was not read back")
        if rep > 0:
            samples.append(elapsed)
    return samples


def run_s2(engine, dialect, rows, reps):
    Base, Member = models(None, dialect)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with engine.begin() as c:
        c.execute(Member.__table__.insert(), [dict(name=n, email=e, age=a, score=sc) for (n, e, a, sc) in rows])
    samples = []
    for rep in range(reps + 1):
        with engine.begin() as c:
            c.execute(text('UPDATE "members" SET "score" = ("id" - 1) * 0.25 + 0.5'))
        if dialect == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text('VACUUM "members"'))
        start = time.perf_counter()
        with Session(engine, future=True) as s:
            objects = s.scalars(select(Member)).all()
            for o in objects:
                o.score = o.id * 0.5 + 7.0
            s.commit()
        elapsed = time.perf_counter() - start
        if len(objects) != len(rows):
            raise SystemExit("S2: not every row was loaded")
        if rep > 0:
            samples.append(elapsed)
    return samples


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default="memory", help="memory, or a postgresql:// URL")
    p.add_argument("--rows", type=int, default=100000)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--json")
    a = p.parse_args()

    schema = None
    if a.db == "memory":
        dialect = "sqlite"
        engine = create_engine("sqlite://", future=True)
        backend = "sqlite-memory"
    else:
        dialect = "postgresql"
        schema = "ctorm_sa_peer_%d" % os.getpid()
        url = a.db.replace("postgresql://", "postgresql+psycopg2://", 1)
        admin = create_engine(url, future=True)
        with admin.begin() as c:
            c.execute(text("CREATE SCHEMA %s" % schema))
        engine = create_engine(url, future=True, connect_args={"options": "-csearch_path=%s" % schema})
        backend = "postgresql"

    rows = make_rows(a.rows)
    results = []
    try:
        for case, variant, fn in (
            ("S1", "keys", lambda: run_s1(engine, dialect, rows, a.reps, False)),
            ("S1", "eager_defaults", lambda: run_s1(engine, dialect, rows, a.reps, True)),
            ("S2", "", lambda: run_s2(engine, dialect, rows, a.reps)),
        ):
            samples = fn()
            r = {"case": case, "variant": variant, "backend": backend, "rows": a.rows,
                 "median_ms": round(median_ms(samples), 3), "samples_ms": [round(s * 1000, 3) for s in samples]}
            results.append(r)
            print("%-3s %-15s [%s] %10.3f ms median (%s)" % (case, variant, backend, r["median_ms"],
                                                             ", ".join("%.1f" % x for x in r["samples_ms"])))
            sys.stdout.flush()
    finally:
        engine.dispose()
        if schema:
            with admin.begin() as c:
                c.execute(text("DROP SCHEMA %s CASCADE" % schema))
            admin.dispose()
    print("SQLAlchemy %s, Python %s" % (sqlalchemy.__version__, sys.version.split()[0]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"sqlalchemy": sqlalchemy.__version__, "python": sys.version.split()[0], "results": results},
                      f, indent=1)


if __name__ == "__main__":
    main()
