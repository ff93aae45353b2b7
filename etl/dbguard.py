"""Never destroy what is not ours: `--db` must be a jixiao database or not exist yet.

A jixiao database carries a marker in its `meta` table (`app` = `jixiao`, and the
`schema_version`). Anything else at the path — a folder, a text file, another program's
DuckDB database — is refused with a Chinese sentence, `--rebuild` included. Databases from
before the marker existed are recognised by their `meta.schema_version` and `files` table.
A jixiao database of another schema version is refused unless `--rebuild` is given.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from etl.errors import JixiaoError

APP = "jixiao"
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
LEGACY_FILE_COLUMNS = {"path", "sha256", "status"}


def database_target(db: str | os.PathLike[str]) -> Path:
    """The file a write really lands on: a symlinked `--db` is updated through its link."""
    return Path(os.path.realpath(db))


def check_database(db: str | os.PathLike[str], *, rebuild: bool, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Raise `JixiaoError` unless `db` is absent or a jixiao database this version may write.
    `con`: a connection that has the file attached as `src` already (saves opening it again)."""
    shown, target = Path(db), database_target(db)
    if not target.exists():
        return
    if target.is_dir():
        raise JixiaoError(f"{shown} 是一个文件夹，不是数据库文件；请用 --db 指定一个 .duckdb 文件。")
    if not target.is_file():
        raise JixiaoError(f"{shown} 不是普通文件，不能用作数据库。")
    if not _is_duckdb(target):
        raise JixiaoError(f"{shown} 不是 DuckDB 数据库文件，为免覆盖他人文件，拒绝写入（--rebuild 也不会覆盖它）。")
    version = _jixiao_version(target, shown, con)
    if version is None:
        raise JixiaoError(f"{shown} 是其他程序的 DuckDB 数据库（没有 jixiao 标记），拒绝写入"
                          "（--rebuild 也不会覆盖它）；请换一个数据库文件。")
    from etl.store import SCHEMA_VERSION  # here: the store imports this module's marker

    from etl.rekey import UPGRADES_FROM  # schema 2 is re-keyed in place by the Writer

    if version != SCHEMA_VERSION and version not in UPGRADES_FROM and not rebuild:
        raise JixiaoError(f"{shown} 由另一版本的 jixiao 建立（结构版本 {version}，本版本 {SCHEMA_VERSION}），"
                          "不能直接使用；请运行 jixiao ingest 原始文件夹 --db 此文件 --rebuild 重新载入。")


def _is_duckdb(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(12)[8:12] == DUCKDB_MAGIC
    except OSError as exc:
        raise JixiaoError(f"无法读取数据库文件 {path}（{exc.strerror or '系统错误'}）。") from None


def _jixiao_version(target: Path, shown: Path, attached: duckdb.DuckDBPyConnection | None) -> str | None:
    """The schema version of a jixiao database; None for a foreign DuckDB database."""
    con = attached or duckdb.connect(":memory:")
    db = "src" if attached else "db"
    try:
        if not attached:
            quoted = str(target).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS db (READ_ONLY)")
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", [db]).fetchall()}
        if "meta" not in tables:
            return None
        meta = dict(con.execute(f"SELECT key, value FROM {db}.meta").fetchall())
        if meta.get("app") == APP:
            return meta.get("schema_version")
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND table_name = 'files'", [db])
            .fetchall()}
        legacy = "schema_version" in meta and LEGACY_FILE_COLUMNS <= columns
        return meta["schema_version"] if legacy else None
    except duckdb.Error:
        raise JixiaoError(f"{shown} 无法作为 DuckDB 数据库打开（文件损坏、版本不兼容或正被其他程序占用），拒绝写入。") from None
    finally:
        if not attached:
            con.close()
