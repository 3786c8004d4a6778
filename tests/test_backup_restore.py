"""`make backup` / `make restore` (scripts/backup.py), run as the IT person runs them, in a subprocess, against a
scratch copy of the test database (never the test database itself: the other tests need the demo):

- a round trip: back up, wipe the database and the media, restore; the page, image and document counts and the
  Kazakh home page's title and mission are those of the test database, the media files are byte-identical;
- a damaged or incomplete backup is refused and changes nothing; restoring over an edited database brings back the
  backed-up content and drops a table the backup does not have.

On PostgreSQL (DATABASE_URL=postgres://…, as in CI) the scratch database is a pg_dump | pg_restore copy of the test
database (named bk_scratch_<pid>, dropped afterwards); on SQLite a copy of the in-memory test database in a file.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "backup.py"


def snapshot(cursor) -> dict:
    """What must survive a backup and restore, read with plain SQL (any DB-API cursor, either engine)."""

    def value(sql: str):
        cursor.execute(sql)
        return cursor.fetchone()[0]

    cursor.execute(
        "SELECT p.title, h.mission FROM home_homepage h JOIN wagtailcore_page p ON p.id = h.page_ptr_id "
        "JOIN wagtailcore_locale l ON l.id = p.locale_id WHERE l.language_code = 'kk'"
    )
    kk_home = [tuple(row) for row in cursor.fetchall()]
    return {
        "pages": value("SELECT COUNT(*) FROM wagtailcore_page"),
        "live_pages": value("SELECT COUNT(*) FROM wagtailcore_page WHERE live"),
        "images": value("SELECT COUNT(*) FROM wagtailimages_image"),
        "documents": value("SELECT COUNT(*) FROM wagtaildocs_document"),
        "kk_home": kk_home,
    }


def table_names(cursor, sql: str) -> set[str]:
    cursor.execute(sql)
    return {row[0] for row in cursor.fetchall()}


def media_files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


class ScratchPostgreSQL:
    """A copy of the test database in a database of its own, bk_scratch_<pid>."""

    def __init__(self, tmp_path: Path):
        self.settings = connection.settings_dict
        self.name = f"bk_scratch_{os.getpid()}"
        user, password = quote(self.settings["USER"] or ""), quote(self.settings["PASSWORD"] or "")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = self.settings["HOST"] or "localhost"
        port = f":{self.settings['PORT']}" if self.settings["PORT"] else ""
        self.url = f"postgres://{credentials}{host}{port}/{self.name}"
        self.admin_url = f"postgres://{credentials}{host}{port}/postgres"
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')
        clone = tmp_path / "clone.dump"
        env = {**os.environ, "PGPASSWORD": self.settings["PASSWORD"] or ""}
        source = f"postgres://{credentials}{host}{port}/{self.settings['NAME']}"
        try:
            subprocess.run(["pg_dump", "--format=custom", f"--file={clone}", source], env=env, check=True)  # noqa: S607
            subprocess.run(["pg_restore", "--no-owner", f"--dbname={self.url}", str(clone)], env=env, check=True)  # noqa: S607
        except BaseException:
            self.drop()
            raise

    def _admin(self, *statements: str) -> None:
        import psycopg2

        admin = psycopg2.connect(self.admin_url)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            admin.close()

    def execute(self, *statements: str, read=None):
        """Run the statements in one transaction; read(cursor) -> what to return."""
        import psycopg2

        conn = psycopg2.connect(self.url)
        try:
            with conn, conn.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                return read(cursor) if read else None
        finally:
            conn.close()

    def tables(self) -> set[str]:
        return self.execute(
            read=lambda cursor: table_names(cursor, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        )

    def wipe(self) -> None:
        self.execute("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class ScratchSQLite:
    """A copy of the in-memory test database in a file (SQLite's backup API, as the script itself uses)."""

    def __init__(self, tmp_path: Path):
        self.path = tmp_path / "db.sqlite3"
        self.url = f"sqlite:///{self.path}"
        connection.ensure_connection()
        copy = sqlite3.connect(self.path)
        connection.connection.backup(copy)
        copy.close()

    def execute(self, *statements: str, read=None):
        conn = sqlite3.connect(self.path)
        try:
            cursor = conn.cursor()
            for statement in statements:
                cursor.execute(statement)
            result = read(cursor) if read else None
            conn.commit()
            return result
        finally:
            conn.close()

    def tables(self) -> set[str]:
        return self.execute(
            read=lambda cursor: table_names(cursor, "SELECT name FROM sqlite_master WHERE type = 'table'")
        )

    def wipe(self) -> None:
        # Full-text search tables first: dropping one drops its shadow tables.
        tables = self.execute(
            read=lambda cursor: cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC"
            ).fetchall()
        )
        self.execute(*(f'DROP TABLE IF EXISTS "{name}"' for (name,) in tables))
        assert not self.tables() - {"sqlite_sequence"}

    def drop(self) -> None:
        pass


@pytest.fixture(params=["postgresql", "sqlite"])
def site(request, tmp_path, db):
    """A scratch copy of the test database (with the demo), a copy of the test media and the environment that points
    the script at them. Only the engine of the test database runs: CI runs the suite on both."""
    if connection.vendor != request.param:
        pytest.skip(
            f"the test database is {connection.vendor}: the {request.param} round trip runs when the suite does "
            + ("(DATABASE_URL=postgres://…, as CI does)" if request.param == "postgresql" else "on SQLite (make test)")
        )
    with connection.cursor() as cursor:
        expected = snapshot(cursor)
    scratch = (ScratchPostgreSQL if request.param == "postgresql" else ScratchSQLite)(tmp_path)
    media = tmp_path / "media"
    if Path(settings.MEDIA_ROOT).is_dir():
        shutil.copytree(settings.MEDIA_ROOT, media, ignore=shutil.ignore_patterns(".restore-*", ".replaced-*"))
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "every-byte.bin").write_bytes(bytes(range(256)) * 64)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": scratch.url,
        "MEDIA_ROOT": str(media),
        "BACKUP_DIR": str(tmp_path / "backups"),
    }
    scratch.expected, scratch.media, scratch.backups, scratch.env = expected, media, tmp_path / "backups", env
    yield scratch
    scratch.drop()


def run(site, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments], cwd=ROOT, env=site.env, capture_output=True, text=True, timeout=600
    )


def backup(site) -> Path:
    result = run(site, "create")
    assert result.returncode == 0, result.stderr
    (folder,) = [path for path in site.backups.iterdir() if not path.name.startswith(".")]
    assert {path.name for path in folder.iterdir()} == {
        f"database.{'dump' if isinstance(site, ScratchPostgreSQL) else 'sqlite3'}",
        "media.tar.gz",
        "manifest.json",
        "SHA256SUMS",
    }
    return folder


def test_back_up_wipe_restore(site):
    expected, media_before = site.expected, media_files(site.media)
    assert expected["pages"] > 10 and expected["images"] > 0, "the demo is loaded into the test database"
    ((title, mission),) = expected["kk_home"]
    assert title and mission, "the Kazakh home page has a title and a mission"
    assert site.execute(read=snapshot) == expected, "the scratch copy is the test database"

    folder = backup(site)
    site.wipe()
    shutil.rmtree(site.media)
    (site.media / "images").mkdir(parents=True)
    (site.media / "images" / "not-in-the-backup.jpg").write_bytes(b"stray")

    result = run(site, "restore", "--yes", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The counts match the backup's." in result.stdout
    assert site.execute(read=snapshot) == expected
    assert media_files(site.media) == media_before  # byte-identical, the stray file gone
    (safety,) = [path for path in site.backups.iterdir() if path.name.endswith("-before-restore")]
    assert (safety / "SHA256SUMS").is_file()
    assert not [path for path in site.media.iterdir() if path.name.startswith((".restore-", ".replaced-"))]


def test_a_damaged_backup_is_refused_and_a_good_one_undoes_edits(site):
    folder = backup(site)
    # An editor's change after the backup, and a table a newer migration would have added (with a foreign key to
    # the pages the restore replaces).
    site.execute(
        "UPDATE wagtailcore_page SET title = 'Changed after the backup' WHERE depth = 2",
        "CREATE TABLE extra_thing (id INTEGER PRIMARY KEY, page_id INTEGER REFERENCES wagtailcore_page (id))",
    )
    (site.media / "uploaded-after-the-backup.txt").write_text("new")
    edited, media_edited = site.execute(read=snapshot), media_files(site.media)
    backups_before = sorted(path.name for path in site.backups.iterdir())

    corrupt = folder.with_name("corrupt")
    shutil.copytree(folder, corrupt)
    dump = corrupt / next(name for name in os.listdir(corrupt) if name.startswith("database."))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01  # one changed bit
    dump.write_bytes(bytes(data))
    incomplete = folder.with_name("incomplete")
    shutil.copytree(folder, incomplete)
    (incomplete / "media.tar.gz").unlink()

    for damaged, reason in ((corrupt, "does not match its checksum"), (incomplete, "media.tar.gz is missing")):
        result = run(site, "restore", "--yes", str(damaged))
        assert result.returncode == 1
        assert reason in result.stderr and "Nothing was changed." in result.stderr
        assert site.execute(read=snapshot) == edited
        assert media_files(site.media) == media_edited
        assert sorted(path.name for path in site.backups.iterdir()) == backups_before + ["corrupt", "incomplete"]
    assert run(site, "verify", str(corrupt)).returncode == 1

    result = run(site, "restore", "--yes", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert site.execute(read=snapshot) == site.expected
    tables = site.tables()
    assert "extra_thing" not in tables and "wagtailcore_page" in tables
    assert "uploaded-after-the-backup.txt" not in media_files(site.media)


def with_recomputed_checksums(folder: Path) -> None:
    """SHA256SUMS and the manifest rewritten to match the files as they now are (by an accident or an attacker)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name in manifest["files"]:
        manifest["files"][name] = {"bytes": (folder / name).stat().st_size, "sha256": sha256_of(folder / name)}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    names = [*manifest["files"], "manifest.json"]
    (folder / "SHA256SUMS").write_text("".join(f"{sha256_of(folder / name)}  {name}\n" for name in names))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("damage", ["truncated", "bit-flipped"])
def test_a_media_archive_damaged_in_the_middle_is_refused_although_its_checksums_match(site, damage):
    folder = backup(site)
    archive = folder / "media.tar.gz"
    data = bytearray(archive.read_bytes())
    assert len(data) > 100_000, "the test media (the demo's images) make an archive of some size"
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2] ^= 0x10  # one changed bit, in the middle of the compressed stream
    archive.write_bytes(bytes(data))
    with_recomputed_checksums(folder)
    site.execute("UPDATE wagtailcore_page SET title = 'Changed after the backup' WHERE depth = 2")
    edited, media_edited = site.execute(read=snapshot), media_files(site.media)
    backups_before = sorted(path.name for path in site.backups.iterdir())

    result = run(site, "verify", str(folder))
    assert result.returncode == 1 and "media archive" in result.stderr

    result = run(site, "restore", "--yes", str(folder))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "The backup's media archive is damaged" in result.stderr and "Nothing was changed." in result.stderr
    assert site.execute(read=snapshot) == edited  # the database is as it was, the editor's change included
    assert media_files(site.media) == media_edited
    assert sorted(path.name for path in site.backups.iterdir()) == backups_before  # not even a safety backup


def test_prune_keeps_the_newest_backups_whatever_their_age(tmp_path):
    backups = tmp_path / "backups"
    old = ["2020-01-01T000000Z", "2020-01-02T000000Z-before-restore", "2020-01-03T000000Z-2"]
    newest = [f"2020-02-{day:02d}T023000Z" for day in range(1, 8)]
    for name in [*old, *newest, ".2020-01-04T000000Z.partial", "not-a-backup"]:
        (backups / name).mkdir(parents=True)
    os.utime(backups / ".2020-01-04T000000Z.partial", (0, 0))
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "prune", "--days", "14", "--keep", "7"],
        env={**os.environ, "BACKUP_DIR": str(backups)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in backups.iterdir()) == [*newest, "not-a-backup"]
