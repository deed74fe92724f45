"""The environment variables the engine reads, each checked in one place.

A setting is input like any other: `CAREER_CHAT_MAX_ARTICLE_MB=inf` overflowed an int
(exit 70) and `nan` slipped past every comparison. Each reader here returns a sound value
or raises `SettingError` naming the variable, what it holds and what it may hold, and the
command line checks them all before it starts (`check_environment`), so a typo is said at
once, in one line, with exit 2.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

from .inputs import display_path, one_line, shown_name

MAX_ARTICLE_MB_VARIABLE = "CAREER_CHAT_MAX_ARTICLE_MB"
# A long career article is well under 1 MB; past a gigabyte a file is no article, and
# reading it whole would take that much memory.
MAX_ARTICLE_MB_DEFAULT = 20.0
MAX_ARTICLE_MB_RANGE = (0.001, 1024.0)

SEMANTIC_VARIABLE = "CAREER_CHAT_SEMANTIC"
SEMANTIC_OFF = frozenset({"off", "0", "no", "false", "lexical"})
SEMANTIC_ON = frozenset({"on", "1", "yes", "true"})

FETCH_TIMEOUT_VARIABLE = "CAREER_CHAT_FETCH_TIMEOUT"
# A page that takes longer than this in all (connecting, the first byte, redirects, download)
# is not waited for; any one wait on the server may take all of what is left.
FETCH_TIMEOUT_DEFAULT = 30.0
FETCH_TIMEOUT_RANGE = (0.1, 600.0)

CACHE_VARIABLE = "CAREER_CHAT_CACHE"
CACHE_OFF = frozenset({"off", "0", "no", "false"})


class SettingError(ValueError):
    """An environment variable holding what the program cannot use; the message says which
    and what it may hold."""


def _shown(value: str) -> str:
    """A setting's value as an error message quotes it: safe, on one line, not endless."""
    text = one_line(value)
    return text if len(text) <= 40 else text[:40] + "…"


def max_article_mb() -> float:
    """The largest article to read, in MB: CAREER_CHAT_MAX_ARTICLE_MB, else 20."""
    setting = os.environ.get(MAX_ARTICLE_MB_VARIABLE, "").strip()
    if not setting:
        return MAX_ARTICLE_MB_DEFAULT
    return _number(MAX_ARTICLE_MB_VARIABLE, setting, MAX_ARTICLE_MB_RANGE, "is not a size; give a number of megabytes")


def semantic_wanted() -> bool:
    """Whether CAREER_CHAT_SEMANTIC leaves the sentence model on (unset: on)."""
    setting = os.environ.get(SEMANTIC_VARIABLE, "").strip().lower()
    if not setting or setting in SEMANTIC_ON:
        return True
    if setting in SEMANTIC_OFF:
        return False
    raise SettingError(f"{SEMANTIC_VARIABLE}={_shown(setting)!r} is not a switch; give on or off")


def fetch_timeout() -> float:
    """Seconds a page's whole fetch may take: CAREER_CHAT_FETCH_TIMEOUT, else 30."""
    setting = os.environ.get(FETCH_TIMEOUT_VARIABLE, "").strip()
    return _number(FETCH_TIMEOUT_VARIABLE, setting, FETCH_TIMEOUT_RANGE, "is not a time; give seconds") if setting else FETCH_TIMEOUT_DEFAULT


def cache_folder() -> Path | None:
    """Where the cache lives: CAREER_CHAT_CACHE, or the user's cache folder; None when off.

    A leading ~ is the home folder: a .env or unit file passes "~/x" as it is, and the
    cache was a folder named "~" wherever the command ran. A relative path is refused for
    the same reason: nothing is written to the current folder unless asked. Spaces around
    the value are no part of it (a .env line's "/x " made a folder named "x ")."""
    setting = _cache_setting()
    if setting.lower() in CACHE_OFF:
        return None
    if setting:
        path = Path(os.path.expanduser(setting))
        if setting.startswith("~") and str(path) == setting:  # no such user, or no home folder
            raise SettingError(f"{CACHE_VARIABLE}={_shown(setting)!r}: {_no_home(setting)}; give a full path (/...), or off")
        if not path.is_absolute():
            raise SettingError(
                f"{CACHE_VARIABLE}={_shown(setting)!r} is a relative path, so the cache would be wherever the "
                "command runs; give a full path (/... or ~/...), or off"
            )
        return path
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("career-chat"))


def _cache_setting() -> str:
    """CAREER_CHAT_CACHE without the spaces around it ("" when unset)."""
    return os.environ.get(CACHE_VARIABLE, "").strip()


def _no_home(setting: str) -> str:
    """Why the ~ that `setting` starts with names no folder."""
    user = setting[1:].split("/", 1)[0]
    if user:
        return f"there is no home folder of user {one_line(user)}"
    return "there is no home folder (HOME is not set)"


def data_folder() -> Path:
    """The user's data folder for career-chat (platformdirs; on Linux XDG_DATA_HOME's)."""
    from platformdirs import user_data_path

    return user_data_path("career-chat", appauthor=False)


def seal_key_file() -> Path:
    """Where this user's key for sealing cache entries is kept: a folder of its own (made
    private, whatever the umask) in the user's data folder, never the cache folder
    (`knowledge.seal`)."""
    return data_folder() / "private" / "cache-seal.key"


def check_cache_setting() -> None:
    """CAREER_CHAT_CACHE is "off" or a full path to a folder (made when missing), never a
    file, a device such as /dev/null, or a path under a file: the cache would quietly do
    nothing (one that cannot be written is said by `cache_unwritable`, and is allowed)."""
    setting = _cache_setting()
    folder = cache_folder() if setting else None  # unset: the user's cache folder, not checked
    if folder is None:
        return
    problem = _not_a_folder(folder)
    if problem is not None:
        raise SettingError(f"{CACHE_VARIABLE}={_shown(setting)!r} {problem}; give a folder for the cache, or off")


def cache_unwritable() -> str | None:
    """Why nothing can be kept in the cache folder (it cannot be made, or written), or None
    when it can, or the cache is off. The cache is no reason to fail a command, but one
    that keeps nothing makes every run as slow as the first, so the caller says so once."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot write {shown_name(folder)} ({error.strerror or error})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write {shown_name(folder)} (not writable)"
    return None


def _not_a_folder(path: Path) -> str | None:
    """What keeps `path` from being a folder, or from being made one: it, or the nearest
    path above it that exists, is not a folder. None when it can be one (or cannot be told:
    a folder that cannot be searched is allowed, as an unwritable one is)."""
    for place in (path, *path.parents):
        try:
            info = place.stat()
        except (FileNotFoundError, NotADirectoryError):
            continue  # missing, or under a file: the file is found further up
        except OSError:
            return None
        if stat.S_ISDIR(info.st_mode):
            return None
        if place != path:
            return f"is under a file ({display_path(place)})"
        return "is a file" if stat.S_ISREG(info.st_mode) else "is not a folder (a device, pipe or socket)"
    return None


def check_environment() -> None:
    """Every setting read, so a bad one is said before anything starts."""
    max_article_mb()
    semantic_wanted()
    fetch_timeout()
    check_cache_setting()


def _number(variable: str, setting: str, bounds: tuple[float, float], what: str) -> float:
    """A setting's number, finite and within `bounds`, or a SettingError saying `what` it
    should be: "inf", "1e309" (inf too), "nan", "-1", "abc" are all outside, said alike."""
    low, high = bounds
    try:
        value = float(setting)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        raise SettingError(f"{variable}={_shown(setting)!r} {what} from {low:g} to {high:g}")
    return value
