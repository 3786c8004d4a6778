"""Reading a Grav site from disk: its language settings, its page folders and their files, as Grav does.

Nothing here touches the database. Encoding problems are repaired and reported; YAML errors are reported with the
file and line, never raised.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx"}
# Folders that hold parts of every page (Grav themes' conventions), not pages of their own.
GLOBAL_PARTS = {"footer", "sidebar", "header", "header-images", "headers", "menu", "navigation", "images"}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_PREFIX = re.compile(r"^(\d+)\.(.+)$")
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
# Characters that appear when UTF-8 is read as MacRoman or Windows-1252 ("‚Äî", "Ã©", "â€™", "Ð¾").
_MOJIBAKE_MARKS = re.compile(r"[‚Äö√Ã¢â€œ™Ð¾Ñ]|Ã.|Ð.|â€")


@dataclass
class SiteConfig:
    languages: list[str]
    default_language: str
    timezone: ZoneInfo
    home_alias: str = "home"


@dataclass
class PageFile:
    path: Path
    template: str
    language: str
    header: dict = field(default_factory=dict)
    body: str = ""
    raw_hash: str = ""
    notes: list[str] = field(default_factory=list)  # repairs made, reported
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the file cannot be imported (e.g. malformed YAML)
    has_front_matter: bool = True


@dataclass
class GravFolder:
    path: Path
    rel: str  # relative to the pages folder, e.g. "02.news/51.minister-…"
    name: str  # folder name without its numeric prefix
    files: dict[str, PageFile] = field(default_factory=dict)  # language → file
    media: list[Path] = field(default_factory=list)
    children: list["GravFolder"] = field(default_factory=list)
    parent: "GravFolder | None" = None
    warnings: list[str] = field(default_factory=list)  # files left out, reported

    @property
    def template(self) -> str | None:
        return next(iter(self.files.values())).template if self.files else None

    @property
    def is_modular(self) -> bool:
        return self.path.name.startswith("_")

    def slug(self, language: str | None = None) -> str:
        file = self.files.get(language) if language else None
        file = file or (next(iter(self.files.values())) if self.files else None)
        slug = str(file.header.get("slug") or "") if file else ""
        return (slug or self.name).strip().strip("/").lower()

    def route(self) -> str:
        parts = []
        node = self
        while node is not None:
            parts.append(node.name.lower())
            node = node.parent
        return "/".join(reversed(parts))

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for language in sorted(self.files):
            digest.update(f"{language}:{self.files[language].raw_hash}".encode())
        for media in self.media:
            digest.update(f"{media.name}:{file_hash(media)}".encode())
        return digest.hexdigest()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locate(path: Path) -> tuple[Path, Path | None]:
    """(pages folder, site root or None) for a Grav site root, its user/ folder or a pages folder."""
    path = Path(path)
    if (path / "user" / "pages").is_dir():
        return path / "user" / "pages", path
    if path.name == "user" and (path / "pages").is_dir():
        return path / "pages", path.parent
    if path.is_dir():
        is_site_pages = path.name == "pages" and path.parent.name == "user"
        return path, path.parent.parent if is_site_pages else None
    raise FileNotFoundError(f"No Grav site or pages folder at {path}")


def read_config(site_root: Path | None, fallback_languages: list[str], fallback_default: str) -> SiteConfig:
    data = {}
    config_file = site_root / "user" / "config" / "system.yaml" if site_root else None
    if config_file and config_file.is_file():
        data = yaml.safe_load(config_file.read_text(encoding="utf-8-sig")) or {}
    language_settings = data.get("languages") or {}
    languages = language_settings.get("supported") or fallback_languages
    default = language_settings.get("default_lang") or (languages[0] if languages else fallback_default)
    try:
        timezone = ZoneInfo(str(data.get("timezone") or "Asia/Almaty"))
    except (ZoneInfoNotFoundError, ValueError):
        timezone = ZoneInfo("Asia/Almaty")
    alias = str(((data.get("home") or {}).get("alias")) or "/home").strip("/") or "home"
    return SiteConfig(
        languages=[str(code) for code in languages], default_language=str(default), timezone=timezone, home_alias=alias
    )


def decode(raw: bytes) -> tuple[str, list[str]]:
    """Text of a page file: UTF-8 with or without BOM; UTF-8 once misread as MacRoman or Windows-1252 is repaired."""
    notes = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1251" if re.search(rb"[\xc0-\xff]{3,}", raw) else "cp1252", errors="replace")
        notes.append("the file is not UTF-8; read as a legacy Windows encoding")
        return text, notes
    repaired, how = repair_mojibake(text)
    if how:
        notes.append(f"repaired mojibake ({how})")
    return repaired, notes


ENCODING_NAMES = {"mac_roman": "MacRoman", "cp1252": "Windows-1252"}


def _try(text: str, encoding: str) -> str | None:
    try:
        return text.encode(encoding).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _marks(text: str) -> int:
    return len(_MOJIBAKE_MARKS.findall(text))


def _repair_once(text: str) -> tuple[str, str | None]:
    for encoding in ("mac_roman", "cp1252"):
        repaired = _try(text, encoding)
        if repaired is not None and _marks(repaired) < _marks(text):
            return repaired, encoding
    return text, None


def repair_mojibake(text: str) -> tuple[str, str]:
    """Undo UTF-8 text that was decoded as MacRoman or Windows-1252 and saved again: the whole file at once (exact),
    else line by line, for files where only some lines were damaged. A repair is kept only when it removes the
    characters such damage leaves behind, so correct text is never touched. Returns the text and what was done."""
    if not _MOJIBAKE_MARKS.search(text):
        return text, ""
    repaired, encoding = _repair_once(text)
    if encoding:
        return repaired, f"{ENCODING_NAMES[encoding]} misread of UTF-8"
    lines, used = [], Counter()
    for line in text.split("\n"):
        fixed, encoding = _repair_once(line) if _MOJIBAKE_MARKS.search(line) else (line, None)
        if encoding:
            used[encoding] += 1
        lines.append(fixed)
    if not used:
        return text, ""
    kinds = " and ".join(ENCODING_NAMES[encoding] for encoding in used)
    return "\n".join(lines), f"{kinds} misread of UTF-8 in {sum(used.values())} line(s)"


def mixed_script_words(text: str) -> list[str]:
    return sorted({w for w in _WORD.findall(text) if _LATIN.search(w) and _CYRILLIC.search(w)})


def read_page_file(path: Path, template: str, language: str) -> PageFile:
    raw = path.read_bytes()
    page = PageFile(path=path, template=template, language=language, raw_hash=hashlib.sha256(raw).hexdigest())
    text, page.notes = decode(raw)
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            header = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f", line {mark.line + 2}" if mark is not None else ""  # +2: 1-based, after the opening ---
            page.error = f"{path}{line}: malformed front matter ({getattr(error, 'problem', None) or error})"
            return page
        if not isinstance(header, dict):
            page.error = f"{path}, line 2: the front matter is not a list of key: value pairs"
            return page
        page.header = header
        page.body = text[match.end() :]
    else:
        page.has_front_matter = False
        page.body = text
    for word in mixed_script_words(str(page.header.get("title", "")) + "\n" + page.body):
        page.warnings.append(f"{path.name}: the word “{word}” mixes Latin and Cyrillic letters")
    return page


def read_tree(pages_dir: Path, config: SiteConfig) -> GravFolder:
    root = GravFolder(path=pages_dir, rel="", name="")
    _read_children(root, config)
    return root


def _read_children(folder: GravFolder, config: SiteConfig) -> None:
    for path in sorted(p for p in folder.path.iterdir() if p.is_dir()):
        match = _PREFIX.match(path.name)
        child = GravFolder(
            path=path,
            rel=f"{folder.rel}/{path.name}".lstrip("/"),
            name=(match.group(2) if match else path.name).lstrip("_"),
            parent=folder if folder.rel or folder.name else None,
        )
        for file in sorted(path.iterdir()):
            if file.is_file() and file.suffix.lower() == ".md":
                parts = file.name[:-3].split(".")
                template = parts[0]
                if len(parts) > 1 and parts[1] not in config.languages:
                    # Grav shows `item.de.md` only on a site with German; read as the default language, it would
                    # replace or invent that language's page.
                    child.warnings.append(f"{file.name}: skipped: the site has no language “{parts[1]}”")
                    continue
                language = parts[1] if len(parts) > 1 else config.default_language
                if language not in child.files:
                    child.files[language] = read_page_file(file, template, language)
            elif file.is_file() and file.suffix.lower() in IMAGE_EXTENSIONS | DOCUMENT_EXTENSIONS:
                child.media.append(file)
        folder.children.append(child)
        _read_children(child, config)


def parse_grav_date(value, timezone: ZoneInfo) -> datetime | None:
    if not value:
        return None
    text = str(value).strip()
    for fmt in ("%d-%m-%Y %H:%M", "%d-%m-%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d.%m.%Y %H:%M", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone)
        except ValueError:
            continue
    return None
