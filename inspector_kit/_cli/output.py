r"""The command's output streams: text that is safe for a terminal, and errors that are ours.

Every line the command prints for people goes through an ``Output``, which shows
control characters as visible escapes (``\\x1b``), so data (a finding title, a ``Name``
tag, a file name) can never clear the screen, plant a link or fake a line of output. Its
``Output.raw`` twin writes exactly what it is given: for rich (which styles tables
itself, every cell escaped first) and for machine formats written to a pipe or a file.

A failed write becomes [`OutputError`][inspector_kit.errors.OutputError] (a broken pipe stays
``BrokenPipeError``), so the command can tell "the output could not be written" from "an input could
not be read".
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, cast

from inspector_kit._values import _printable, _printable_lines
from inspector_kit.errors import OutputError

if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["Output", "OutputError", "one_line"]


def one_line(value: Any) -> str:
    r"""``value`` as one printable line: control characters and line breaks escaped.

    Examples:
        >>> one_line("no such file: 'x\x1b[2J\ny'")
        "no such file: 'x\\x1b[2J\\ny'"
    """
    return _printable(value)


class Output:
    r"""A text stream over ``stdout`` or ``stderr`` that escapes what a terminal would run.

    ``escape=False`` writes text unchanged (see ``raw``). Writing to a stream that is
    missing (``None``: Python found the file descriptor closed), closed or failing raises
    [`OutputError`][inspector_kit.errors.OutputError]; text the stream's encoding cannot hold is
    written with backslash escapes rather than failing.

    Examples:
        >>> import io
        >>> buffer = io.StringIO()
        >>> out = Output(buffer, "stdout")
        >>> print("title: \x1b]8;;http://evil\x07click", file=out)
        >>> print("raw: \x1b[1m", file=out.raw)
        >>> buffer.getvalue()
        'title: \\x1b]8;;http://evil\\x07click\nraw: \x1b[1m\n'
    """

    def __init__(self, stream: TextIO | None, name: str, *, escape: bool = True) -> None:
        self._stream = stream
        self._name = name
        self._escape = escape

    @property
    def name(self) -> str:
        """``stdout`` or ``stderr``."""
        return self._name

    @property
    def raw(self) -> Output:
        """The same stream, written unchanged (failures still raise ``OutputError``)."""
        return Output(self._stream, self._name, escape=False)

    @property
    def escaping(self) -> bool:
        """Whether this stream escapes control characters."""
        return self._escape

    @property
    def encoding(self) -> str:
        """The underlying stream's encoding (UTF-8 when it has none)."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    def _target(self) -> TextIO:
        if self._stream is None:
            raise OutputError(self._name, None)
        return self._stream

    def write(self, text: str) -> int:
        """Write ``text`` (escaped unless this is ``raw``); returns ``len(text)``."""
        stream = self._target()
        data = _printable_lines(text) if self._escape else text
        try:
            try:
                stream.write(data)
            except UnicodeEncodeError:
                encoding = self.encoding
                stream.write(data.encode(encoding, "backslashreplace").decode(encoding))
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise OutputError(self._name, exc) from exc
        return len(text)

    def flush(self) -> None:
        """Flush the underlying stream."""
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise OutputError(self._name, exc) from exc

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        try:
            return bool(self._stream is not None and self._stream.isatty())
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        """The underlying stream's file descriptor (``OSError`` when it has none)."""
        if self._stream is None:
            raise io.UnsupportedOperation("fileno")
        return self._stream.fileno()

    def writable(self) -> bool:
        """Always ``True``."""
        return True

    def as_textio(self) -> TextIO:
        """This stream, typed as the ``TextIO`` the commands take (it has what they use)."""
        return cast("TextIO", self)
