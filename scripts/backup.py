#!/usr/bin/env python
"""Back up and restore the site: its database and its uploaded media, together, in one timestamped folder.

    .venv/bin/python scripts/backup.py create          # make backup
    .venv/bin/python scripts/backup.py verify PATH     # checksums and contents, changes nothing
    .venv/bin/python scripts/backup.py restore PATH    # make restore BACKUP=PATH
    .venv/bin/python scripts/backup.py prune           # delete backups older than 14 days, keeping the 7 newest

The database is the one DATABASE_URL names (PostgreSQL in production, the SQLite file of `make demo` otherwise), the
media folder MEDIA_ROOT, the settings those of DJANGO_SETTINGS_MODULE (config.settings.dev unless set, as manage.py).
A backup is a folder BACKUP_DIR/<UTC date and time>/ (BACKUP_DIR: ./backups of the project unless set) holding:

    database.dump      PostgreSQL: pg_dump --format=custom, of one consistent snapshot
    database.sqlite3   SQLite: a copy made with SQLite's online backup API
    media.tar.gz       everything in MEDIA_ROOT: original images, renditions, documents
    manifest.json      when, which versions, the migration heads, counts of pages/images/documents, checksums
    SHA256SUMS         sha256 of the three files above, for `sha256sum -c SHA256SUMS` on any machine

It is written into a hidden `.<name>.partial` folder and renamed when complete, so a folder with a plain name is a
finished backup. Files are readable by their owner only: they hold the editors' accounts.

restore refuses (message, exit status 1, nothing changed) when a file is missing or differs from its checksum, when
the backup is of the other database engine, or when it was made by a newer version of the site. Otherwise it takes a
safety backup of the current state (BACKUP_DIR/<date>-before-restore), unpacks the media next to the current ones,
restores the database in a single transaction (PostgreSQL: pg_restore --clean --if-exists --no-owner
--no-privileges, applied by psql --single-transaction; SQLite: the backup API), swaps the media folder's contents,
retires the cached pages and prints the counts, which must equal those of the backup. pg_dump, pg_restore and psql
come from the machine (Debian: apt install postgresql-client), of the server's major version or newer.
"""

import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMAT = 1
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_FILE = "media.tar.gz"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SAFETY_SUFFIX = "-before-restore"
# Working folders restore makes inside MEDIA_ROOT for a moment; never archived.
MEDIA_STAGING = (".restore-", ".replaced-")


class Refused(Exception):
    """The operation cannot go ahead; nothing has been changed."""


class Failed(Exception):
    """The operation went wrong part of the way; the message says what state things are in."""


# ----------------------------------------------------------------------------------------------------------- helpers


def say(message: str = "") -> None:
    print(message, flush=True)


def human_size(size: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


def sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def package_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def backup_dir() -> Path:
    path = Path(os.environ.get("BACKUP_DIR") or "backups")
    return path if path.is_absolute() else ROOT / path


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def run(command: list[str], env: dict | None = None, what: str = "") -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - our own arguments
    if result.returncode != 0:
        raise Failed(f"{what or command[0]} failed (exit status {result.returncode}):\n{result.stderr.strip()}")
    return result


# ---------------------------------------------------------------------------------------------------------- database


class Database:
    """The database of the settings (DATABASE_URL): PostgreSQL or SQLite."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.settings = connection.settings_dict
        if self.vendor == "sqlite":
            name = str(self.settings["NAME"])
            if name == ":memory:" or "mode=memory" in name:
                raise Refused("The database is an in-memory SQLite database: there is nothing on disk to back up.")
            self.path = Path(name)
        elif self.vendor != "postgresql":
            raise Refused(f"Backups support PostgreSQL and SQLite, not {self.vendor}.")

    def describe(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite database {self.path}"
        host = self.settings.get("HOST") or "local socket"
        port = f":{self.settings['PORT']}" if self.settings.get("PORT") else ""
        return f"PostgreSQL database {self.settings['NAME']} on {host}{port}"

    # PostgreSQL ---------------------------------------------------------------------------------------------------

    def pg_env(self) -> dict:
        """The connection for pg_dump, pg_restore and psql, through libpq's variables (no password in `ps`)."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
            if self.settings.get(key):
                env[variable] = str(self.settings[key])
        options = self.settings.get("OPTIONS") or {}
        for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
            if options.get(option):
                env[f"PG{option.upper()}"] = str(options[option])
        return env

    def server_major(self) -> int:
        self.connection.ensure_connection()
        return self.connection.pg_version // 10000

    def tool(self, name: str) -> str:
        """The path of pg_dump/pg_restore/psql, refusing clearly if it is missing or older than the server."""
        path = shutil.which(name)
        if not path:
            raise Refused(
                f"{name} is not installed on this machine. Install the PostgreSQL client tools of the server's major "
                f"version or newer (Debian/Ubuntu: sudo apt install postgresql-client-{self.server_major()})."
            )
        output = run([path, "--version"], what=name).stdout
        match = re.search(r"(\d+)(?:\.\d+)?", output)
        server = self.server_major()
        if match and int(match.group(1)) < server:
            raise Refused(
                f"{name} is version {match.group(1)} but the server is PostgreSQL {server}: install "
                f"postgresql-client-{server} (the client must be as new as the server)."
            )
        return path

    def pg_tool_version(self) -> str:
        return run([self.tool("pg_dump"), "--version"], what="pg_dump").stdout.strip()


def table_names(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in cursor.fetchall()}


def read_state(cursor, vendor: str) -> dict:
    """Counts and migration heads, read with plain SQL so that it works on any cursor (the backup's own copy too).
    counts is None when the tables are not there (an empty or wiped database)."""
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Page, Revision

    tables = table_names(cursor, vendor)

    def value(sql: str):
        cursor.execute(sql)
        return cursor.fetchone()[0]

    heads = {}
    if "django_migrations" in tables:
        cursor.execute('SELECT app, name FROM "django_migrations"')
        for app, name in cursor.fetchall():
            heads[app] = max(name, heads.get(app, name))
    page, locale = Page._meta.db_table, Locale._meta.db_table
    image, document = get_image_model()._meta.db_table, get_document_model()._meta.db_table
    user, revision = get_user_model()._meta.db_table, Revision._meta.db_table
    counts = None
    if {page, locale, image, document, user, revision} <= tables:
        cursor.execute(
            f'SELECT l.language_code, COUNT(*) FROM "{page}" p JOIN "{locale}" l ON p.locale_id = l.id '
            "WHERE p.depth > 1 GROUP BY l.language_code ORDER BY l.language_code"
        )
        by_language = dict(cursor.fetchall())
        latest = value(f'SELECT MAX(created_at) FROM "{revision}"')
        counts = {
            "pages": value(f'SELECT COUNT(*) FROM "{page}" WHERE depth > 1'),
            "live_pages": value(f'SELECT COUNT(*) FROM "{page}" WHERE depth > 1 AND live'),
            "pages_by_language": by_language,
            "images": value(f'SELECT COUNT(*) FROM "{image}"'),
            "documents": value(f'SELECT COUNT(*) FROM "{document}"'),
            "users": value(f'SELECT COUNT(*) FROM "{user}"'),
            "latest_edit": latest.isoformat() if hasattr(latest, "isoformat") else latest,
        }
    return {"counts": counts, "migrations": dict(sorted(heads.items()))}


def describe_counts(counts: dict | None) -> str:
    if counts is None:
        return "no site tables (an empty database)"
    languages = ", ".join(f"{code} {count}" for code, count in counts["pages_by_language"].items())
    return (
        f"{counts['pages']} pages ({languages}; {counts['live_pages']} live), {counts['images']} images, "
        f"{counts['documents']} documents, {counts['users']} users; latest edit {counts['latest_edit'] or '-'}"
    )


def dump_postgresql(db: Database, destination: Path) -> dict:
    """pg_dump of a snapshot exported by our own transaction: the counts in the manifest are those of the dump."""
    from django.db import transaction

    pg_dump = db.tool("pg_dump")
    with transaction.atomic(), db.connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = read_state(cursor, "postgresql")
        run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={destination}",
                f"--dbname={db.settings['NAME']}",
            ],
            env=db.pg_env(),
            what="pg_dump",
        )
    return state


def dump_sqlite(db: Database, destination: Path) -> dict:
    if not db.path.is_file():
        raise Refused(f"There is no SQLite database at {db.path}.")
    source = sqlite3.connect(db.path)
    copy = sqlite3.connect(destination)
    try:
        source.backup(copy)
        return read_state(copy.cursor(), "sqlite")
    finally:
        copy.close()
        source.close()


# ------------------------------------------------------------------------------------------------------------- media


def media_root() -> Path | None:
    """MEDIA_ROOT when the media are files on this machine; None when they are in object storage (S3)."""
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def archive_media(root: Path, destination: Path) -> dict:
    stats = {"files": 0, "bytes": 0}

    def count(info: tarfile.TarInfo) -> tarfile.TarInfo:
        if info.isfile():
            stats["files"] += 1
            stats["bytes"] += info.size
        return info

    # Level 1: images are compressed already; a higher level costs time and gains nothing.
    with tarfile.open(destination, "w:gz", compresslevel=1) as tar:
        if root.is_dir():
            for entry in sorted(root.iterdir()):
                if not entry.name.startswith(MEDIA_STAGING):
                    tar.add(entry, arcname=entry.name, filter=count)
    return stats


def check_media_member(member: tarfile.TarInfo) -> None:
    """Refuse what a media archive never holds: absolute paths, "..", links leading out, devices. (Python 3.11.4+
    also applies tarfile's "data" filter; Debian 12's 3.11.2 may not have it.)"""
    parts = Path(member.name).parts
    if member.name.startswith("/") or ".." in parts:
        raise tarfile.TarError(f"unsafe path in the archive: {member.name}")
    if member.issym() or member.islnk():
        target = Path(member.linkname)
        if target.is_absolute() or ".." in (Path(member.name).parent / target).parts:
            raise tarfile.TarError(f"a link leading out of the media folder: {member.name}")
    if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
        raise tarfile.TarError(f"not a file or folder: {member.name}")


def read_media_archive(archive: Path) -> None:
    """Read the whole media archive, every member's data and the gzip stream to its end (where its CRC is checked),
    before anything is changed. The checksums only say that the file is the one the manifest names; an archive
    damaged before they were computed (or with them recomputed) would otherwise fail half-way through the restore,
    or unpack damaged files without a word."""
    try:
        with gzip.open(archive, "rb") as stream:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    check_media_member(member)
                    if member.isfile():
                        data = tar.extractfile(member)
                        while data.read(1 << 20):
                            pass
            while stream.read(1 << 20):  # the padding after the last member, then the CRC and length check
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        reason = str(error) or type(error).__name__
        raise Refused(
            f"The backup's media archive is damaged or unsafe and cannot be restored ({reason}). Use another backup."
        ) from error


def stage_media(archive: Path, root: Path, stamp: str) -> Path:
    """Unpack the backup's media into MEDIA_ROOT/.restore-<stamp>/ (same file system: the swap is a few renames)."""
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".restore-{stamp}"
    staging.mkdir(mode=0o755)
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                check_media_member(member)
            if hasattr(tarfile, "data_filter"):
                tar.extractall(staging, filter="data")
            else:  # pragma: no cover - Python before 3.11.4
                tar.extractall(staging)  # noqa: S202 - every member checked above
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def swap_media(staging: Path, root: Path, stamp: str) -> None:
    """Replace the contents of MEDIA_ROOT (the folder itself may be a mount point) with the staged ones."""
    replaced = root / f".replaced-{stamp}"
    replaced.mkdir()
    for entry in list(root.iterdir()):
        if entry not in (staging, replaced):
            entry.rename(replaced / entry.name)
    for entry in list(staging.iterdir()):
        entry.rename(root / entry.name)
    staging.rmdir()
    shutil.rmtree(replaced)


# ------------------------------------------------------------------------------------------------------------ create


def create(suffix: str = "", allow_empty: bool = False) -> Path:
    """Write one complete backup and return its folder. An empty database is refused unless allow_empty (the
    safety backup before a restore): a nightly job that lost its DATABASE_URL must fail, not save nothing."""
    import django
    import wagtail

    started = time.monotonic()
    db = Database()
    root = media_root()
    directory = backup_dir()
    if root is not None and directory.resolve().is_relative_to(root.resolve()):
        raise Refused(f"BACKUP_DIR ({directory}) is inside MEDIA_ROOT ({root}), which the web server publishes.")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now(UTC)
    name = now.strftime("%Y-%m-%dT%H%M%SZ") + suffix
    for number in range(2, 100):
        if not (directory / name).exists() and not (directory / f".{name}.partial").exists():
            break
        name = f"{now.strftime('%Y-%m-%dT%H%M%SZ')}{suffix}-{number}"
    work = directory / f".{name}.partial"
    work.mkdir(mode=0o700)
    try:
        say(f"Backing up the {db.describe()}")
        database_file = DATABASE_FILES[db.vendor]
        if db.vendor == "postgresql":
            state = dump_postgresql(db, work / database_file)
            tool = db.pg_tool_version()
        else:
            state = dump_sqlite(db, work / database_file)
            tool = f"sqlite3 {sqlite3.sqlite_version}"
        if state["counts"] is None and not allow_empty:
            raise Refused(f"The {db.describe()} has no site tables. Is DATABASE_URL set (docs/deploy.md)?")
        if root is None:
            from django.conf import settings

            media = {
                "file": None,
                "storage": settings.STORAGES["default"]["BACKEND"],
                "note": "the media are in object storage: back the bucket up with its own versioning/replication",
            }
            say("  media: in object storage, not in this backup (see docs/deploy.md)")
        else:
            say(f"Archiving the media of {root}")
            media = {"file": MEDIA_FILE, "root": str(root), **archive_media(root, work / MEDIA_FILE)}
        files = [database_file] + ([MEDIA_FILE] if media["file"] else [])
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "host": platform.node(),
            "database": {
                "engine": db.vendor,
                "file": database_file,
                "source": db.describe(),
                "server_version": db.connection.pg_version if db.vendor == "postgresql" else sqlite3.sqlite_version,
                "made_with": tool,
            },
            "media": media,
            "versions": {
                "python": platform.python_version(),
                "django": django.get_version(),
                "wagtail": wagtail.__version__,
                "wagtail-localize": package_version("wagtail-localize"),
            },
            "migrations": state["migrations"],
            "counts": state["counts"],
            "files": {file: {"bytes": (work / file).stat().st_size, "sha256": sha256(work / file)} for file in files},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        sums = {**{file: manifest["files"][file]["sha256"] for file in files}, MANIFEST: sha256(work / MANIFEST)}
        (work / SUMS).write_text("".join(f"{digest}  {file}\n" for file, digest in sums.items()), encoding="utf-8")
        for path in work.iterdir():
            path.chmod(0o600)  # the folder is 0700 too: backups hold the editors' accounts
        final = directory / name
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    size = sum(path.stat().st_size for path in final.iterdir())
    say(f"  {describe_counts(state['counts'])}")
    if media["file"]:
        say(f"  media: {media['files']} files, {human_size(media['bytes'])}")
    say(f"Backup written: {final} ({human_size(size)}, {time.monotonic() - started:.1f} s)")
    return final


# ------------------------------------------------------------------------------------------------------------ verify


def verify_files(path: Path) -> dict:
    """Checksums and manifest of a backup folder; refuses when anything is missing or changed. Needs no Django."""
    if not path.is_dir():
        raise Refused(f"{path} is not a backup folder.")
    if path.name.endswith(".partial"):
        raise Refused(f"{path} is an unfinished backup (it was interrupted while being written).")
    if not (path / SUMS).is_file():
        raise Refused(f"The backup {path} is incomplete: {SUMS} is missing.")
    sums = {}
    for line in (path / SUMS).read_text(encoding="utf-8", errors="replace").splitlines():
        match = re.fullmatch(r"([0-9a-f]{64}) [ *]([A-Za-z0-9._-]+)", line)
        if not match:
            raise Refused(f"The backup {path} is damaged: {SUMS} has an unreadable line.")
        sums[match.group(2)] = match.group(1)
    if MANIFEST not in sums:
        raise Refused(f"The backup {path} is damaged: {SUMS} does not list {MANIFEST}.")
    for name, digest in sums.items():
        if not (path / name).is_file():
            raise Refused(f"The backup {path} is incomplete: {name} is missing.")
        if sha256(path / name) != digest:
            raise Refused(f"The backup {path} is corrupt: {name} does not match its checksum in {SUMS}.")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        engine = manifest["database"]["engine"]
        expected = [manifest["database"]["file"]] + ([manifest["media"]["file"]] if manifest["media"]["file"] else [])
        listed = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise Refused(f"The backup {path} is damaged: {MANIFEST} cannot be read ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise Refused(f"The backup {path} has format {manifest.get('format')}; this script reads format {FORMAT}.")
    if engine not in DATABASE_FILES or manifest["database"]["file"] != DATABASE_FILES[engine]:
        raise Refused(f"The backup {path} is damaged: unknown database engine in {MANIFEST}.")
    for name in expected:
        if name not in sums or listed.get(name, {}).get("sha256") != sums[name]:
            raise Refused(f"The backup {path} is incomplete: {name} is not covered by its checksums.")
    return manifest


def postgresql_tables_in_dump(pg_restore: str, dump: Path, env: dict) -> set[tuple[str, str]]:
    """(schema, table) of every table in a custom-format dump; reading the table of contents also checks that this
    pg_restore can read the file."""
    listing = run([pg_restore, "--list", str(dump)], env=env, what="pg_restore --list").stdout
    return set(re.findall(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", listing, flags=re.M))


def check_contents(path: Path, manifest: dict, db: Database) -> None:
    """What can be checked before anything is changed: engine, migrations, the dump and archive are readable."""
    from django.db.migrations.loader import MigrationLoader

    engine = manifest["database"]["engine"]
    if engine != db.vendor:
        raise Refused(
            f"The backup holds a {engine} database but DATABASE_URL points at a {db.vendor} one: "
            "restore it into the same kind of database."
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.graph.nodes) | {key for replaced in loader.replacements.values() for key in replaced.replaces}
    unknown = [
        f"{app}.{name}"
        for app, name in manifest["migrations"].items()
        if app in loader.migrated_apps and (app, name) not in known
    ]
    if unknown:
        raise Refused(
            "The backup was made by a newer version of the site (migrations unknown here: "
            f"{', '.join(unknown)}). Deploy that version of the code first, then restore."
        )
    if engine == "postgresql":
        db.tool("psql")
        postgresql_tables_in_dump(db.tool("pg_restore"), path / manifest["database"]["file"], db.pg_env())
    else:
        check = sqlite3.connect(f"file:{path / manifest['database']['file']}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            result = str(error)
        finally:
            check.close()
        if result != "ok":
            raise Refused(f"The backup's SQLite database fails its integrity check: {result}")
    if manifest["media"]["file"]:
        read_media_archive(path / manifest["media"]["file"])


def verify(path: Path) -> dict:
    manifest = verify_files(path)
    db = Database()
    check_contents(path, manifest, db)
    say(f"{path}: complete, checksums match, contents readable.")
    say(f"  made {manifest['created_at']} from the {manifest['database']['source']}")
    say(f"  {describe_counts(manifest['counts'])}")
    media = manifest["media"]
    say(f"  media: {media['files']} files, {human_size(media['bytes'])}" if media["file"] else "  media: not included")
    return manifest


# ----------------------------------------------------------------------------------------------------------- restore


def restore_postgresql(db: Database, dump: Path, scratch: Path) -> None:
    """pg_restore --clean --if-exists into SQL, then psql applies it in one transaction, after dropping the tables
    the backup does not have (added by newer migrations: they could hold foreign keys to the tables being replaced).
    Any error rolls the whole transaction back: the database is then as it was."""
    pg_restore, psql, env = db.tool("pg_restore"), db.tool("psql"), db.pg_env()
    in_dump = postgresql_tables_in_dump(pg_restore, dump, env)
    with db.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        extra = sorted(table for table in table_names(cursor, "postgresql") if (schema, table) not in in_dump)
    db.connection.close()

    def quoted(name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    prelude = scratch / "prelude.sql"
    prelude.write_text("".join(f"DROP TABLE IF EXISTS {quoted(schema)}.{quoted(t)} CASCADE;\n" for t in extra))
    script = scratch / "restore.sql"
    # To a file first: a pg_restore that stopped half-way must not hand psql a truncated script to commit.
    run(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", f"--file={script}", str(dump)],
        env=env,
        what="pg_restore",
    )
    try:
        run(
            [
                psql,
                "--no-psqlrc",
                "--no-password",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--file={prelude}",
                f"--file={script}",
                "--output=/dev/null",
                f"--dbname={db.settings['NAME']}",
            ],
            env=env,
            what="psql (the restore, one transaction)",
        )
    except Failed as error:
        raise Failed(f"{error}\nThe transaction was rolled back: the database is as it was before.") from error
    if extra:
        say(f"  dropped tables the backup does not have: {', '.join(extra)}")


def restore_sqlite(db: Database, copy: Path) -> None:
    db.connection.close()
    db.path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    target = sqlite3.connect(db.path)
    try:
        source.backup(target)  # one step under SQLite's lock: other connections see all or nothing
    finally:
        target.close()
        source.close()


def confirm(path: Path, db: Database, root: Path | None) -> None:
    say(f"This replaces the {db.describe()}" + (f" and the contents of {root}" if root else ""))
    say(f"with the backup {path}. A safety backup of the current state is taken first.")
    answer = input("Type 'restore' to go on: ")
    if answer.strip() != "restore":
        raise Refused("Not confirmed.")


def restore(path: Path, assume_yes: bool = False) -> int:
    started = time.monotonic()
    manifest = verify_files(path)
    db = Database()
    check_contents(path, manifest, db)
    root = media_root()
    media_file = manifest["media"]["file"]
    if media_file and root is None:
        say("Note: the media here are in object storage; only the database is restored (media.tar.gz is left aside).")
    elif not media_file:
        say("Note: this backup has no media (they were in object storage); only the database is restored.")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and media_file and root is not None:
        say("Warning: running as root, the restored media files will belong to root. Run as the site's user.")
    say(f"Backup {path}: made {manifest['created_at']} from the {manifest['database']['source']}")
    say(f"  {describe_counts(manifest['counts'])}")
    if not assume_yes and sys.stdin.isatty():
        confirm(path, db, root if media_file else None)

    if db.vendor == "sqlite" and (not db.path.is_file() or db.path.stat().st_size == 0):
        say(f"No current database at {db.path}: no safety backup needed.")
        safety = None
    else:
        say("Safety backup of the current state:")
        safety = create(suffix=SAFETY_SUFFIX, allow_empty=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    staging = None
    if media_file and root is not None:
        say(f"Unpacking the media next to {root}")
        staging = stage_media(path / media_file, root, stamp)
    say(f"Restoring the {db.describe()}")
    try:
        if db.vendor == "postgresql":
            with tempfile.TemporaryDirectory(prefix=".restore-", dir=backup_dir()) as scratch:
                restore_postgresql(db, path / manifest["database"]["file"], Path(scratch))
        else:
            restore_sqlite(db, path / manifest["database"]["file"])
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if staging is not None:
        try:
            swap_media(staging, root, stamp)
        except OSError as error:
            raise Failed(
                f"The database is restored but the media could not be put in place ({error}). Staged media: "
                f"{staging}; the previous media are in the safety backup {safety}."
            ) from error
        say(f"  media restored: {manifest['media']['files']} files into {root}")
    from django.db import DatabaseError

    try:
        from core.cache import bump_generation

        # The cached pages were made from the content that has just been replaced; the restored database's own
        # generation is older than theirs, so it is raised past the clock.
        bump_generation()
    except ImportError:
        pass
    except DatabaseError:
        db.connection.close()  # a backup older than the content-version table: `migrate` (said below) creates it

    from django.db.migrations.executor import MigrationExecutor

    db.connection.close()
    with db.connection.cursor() as cursor:
        state = read_state(cursor, db.vendor)
    executor = MigrationExecutor(db.connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    say(f"Restored in {time.monotonic() - started:.1f} s. Now: {describe_counts(state['counts'])}")
    if safety:
        say(f"The state before the restore is in {safety}")
    if pending:
        say(f"This code has {len(pending)} migrations the backup predates: run `manage.py migrate` now.")
    if state["counts"] != manifest["counts"]:
        say(f"WARNING: the counts differ from the backup's: {describe_counts(manifest['counts'])}")
        return 1
    say("The counts match the backup's.")
    return 0


# ------------------------------------------------------------------------------------------------------------- prune

BACKUP_NAME = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{6}Z)(-before-restore)?(-\d+)?")


def prune(days: int, keep: int) -> None:
    """Delete the finished backups older than `days`, but never the `keep` newest: if the nightly backup has been
    failing for weeks, the last good ones stay. Interrupted (.partial) folders older than a day go too."""
    directory = backup_dir()
    if not directory.is_dir():
        say(f"No backups in {directory}.")
        return
    backups = sorted(
        (path for path in directory.iterdir() if path.is_dir() and BACKUP_NAME.fullmatch(path.name)),
        key=lambda path: path.name,
    )
    cutoff = datetime.now(UTC).timestamp() - days * 86400
    protected = set(backups[-keep:]) if keep > 0 else set()
    removed = 0
    for path in backups:
        made = datetime.strptime(BACKUP_NAME.fullmatch(path.name).group(1), "%Y-%m-%dT%H%M%SZ").replace(tzinfo=UTC)
        if path not in protected and made.timestamp() < cutoff:
            shutil.rmtree(path)
            removed += 1
            say(f"Removed {path.name}")
    for path in directory.glob(".*.partial"):
        if path.stat().st_mtime < time.time() - 86400:
            shutil.rmtree(path, ignore_errors=True)
            say(f"Removed the unfinished {path.name}")
    say(f"{len(backups) - removed} backups kept in {directory} (older than {days} days removed, {keep} newest kept).")


# -------------------------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("create", help="write a backup into BACKUP_DIR (default: ./backups)")
    verify_parser = commands.add_parser("verify", help="check a backup's checksums and contents; changes nothing")
    verify_parser.add_argument("path", type=Path)
    restore_parser = commands.add_parser("restore", help="restore a backup, after a safety backup of the current state")
    restore_parser.add_argument("path", type=Path)
    restore_parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    prune_parser = commands.add_parser("prune", help="delete old backups, always keeping the newest ones")
    prune_parser.add_argument("--days", type=int, default=14, help="delete backups older than this (default 14)")
    prune_parser.add_argument("--keep", type=int, default=7, help="but always keep this many newest (default 7)")
    options = parser.parse_args(argv)
    try:
        if options.command == "prune":
            prune(options.days, options.keep)
            return 0
        if options.command == "verify":
            verify_files(options.path)  # before Django: a damaged backup is refused even if the site cannot start
        setup_django()
        if options.command == "create":
            create()
        elif options.command == "verify":
            verify(options.path)
        else:
            return restore(options.path, assume_yes=options.yes)
    except Refused as error:
        print(f"Refused: {error}\nNothing was changed.", file=sys.stderr)
        return 1
    except Failed as error:
        print(f"Failed: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        from django.db import DatabaseError

        if not isinstance(error, DatabaseError):
            raise
        print(f"Failed: the database answered with an error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
