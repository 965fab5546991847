"""Errors a user can act on, and the CLI's exit codes.

Every failure the user can cause (a bad file, a missing tool, an unwritable
directory) is raised as :class:`SubalignError`, whose ``str()`` is one
sentence naming the file and the problem.  The CLI prints it on one line and
exits with the error's ``exit_code``; it never shows a traceback for these.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Documented exit codes of the ``subalign`` command."""

    OK = 0
    #: The run finished, but a quality gate failed (low-confidence alignment
    #: or timing, findings at error severity); outputs are written and flagged.
    QUALITY = 1
    #: Wrong command-line usage (typer/click's own code).
    USAGE = 2
    #: Bad input: unreadable, empty, undecodable, wrong layout, one language
    #: missing, malformed subtitle file.  Nothing was written.
    INPUT = 3
    #: Output could not be written (permissions, disk).  Nothing was left behind.
    OUTPUT = 4
    #: A needed external tool or model is missing (ffmpeg, a model folder).
    ENVIRONMENT = 5


class SubalignError(Exception):
    """A failure explained in one line: ``<path>: <problem>``."""

    exit_code: ExitCode = ExitCode.INPUT

    def __init__(self, problem: str, path: Path | str | None = None) -> None:
        self.problem = problem
        self.path = Path(path) if path is not None else None
        super().__init__(f"{self.path}: {problem}" if self.path is not None else problem)


class InputError(SubalignError):
    """The user's input cannot be used as given."""

    exit_code = ExitCode.INPUT


class OutputError(SubalignError):
    """An output file or directory cannot be written."""

    exit_code = ExitCode.OUTPUT


class EnvironmentProblem(SubalignError):
    """A tool or model the command needs is not available."""

    exit_code = ExitCode.ENVIRONMENT
