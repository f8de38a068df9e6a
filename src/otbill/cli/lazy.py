"""A command group that imports a command's module only when that command runs.

Why: ``otbill units 97110=38`` is a pure computation, yet importing every command module up
front pulled in SQLAlchemy, the storage layer, the rule set and pydantic models (about 0.5 s of
CPU before any work). The root group lists each command by name and by where it lives
(``"module:attribute"``); the module is imported, and its Typer command or sub-app turned into a
click command, the first time the name is looked up. ``otbill --help`` looks every name up, so
help stays complete.

The group is also where an internal error is caught (:mod:`otbill.cli.crash`): any exception that
is not click's or Typer's own way to end a command becomes exit status 3, one line and a log. And
every whole-number option or argument of every command is bounded here, once, to a signed 64-bit
integer (the largest row id): ``--offset 10^29`` is a usage error (exit 2), not an overflow inside
the database driver.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import typer
import typer.core
import typer.exceptions
import typer.main

from otbill.cli.crash import command_path, report_crash

__all__ = ["LazyCommand", "lazy_group"]


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives: ``"otbill.cli.units:units_command"`` (a function) or
    ``"otbill.cli.x12:app"`` (a Typer sub-app); ``help`` overrides a sub-app's own help."""

    target: str
    help: str | None = None

    def load(self, name: str) -> Any:
        """Import the module and build the click command, with the root's display settings."""
        module_name, _, attribute = self.target.partition(":")
        found = getattr(importlib.import_module(module_name), attribute)
        holder = typer.Typer(rich_markup_mode=None, add_completion=False)
        holder.callback()(_no_options)
        if isinstance(found, typer.Typer) and self.help:
            holder.add_typer(found, name=name, help=self.help)
        elif isinstance(found, typer.Typer):
            holder.add_typer(found, name=name)
        else:
            holder.command(name)(found)
        command = typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]
        _bound_whole_numbers(command)
        return command


MAX_WHOLE = 2**63 - 1


def _bound_whole_numbers(command: Any) -> None:
    """Give every int parameter of ``command`` (and its subcommands) the 64-bit bound."""
    for param in getattr(command, "params", ()):
        kind = param.type
        is_int = any(c.__name__ == "IntParamType" for c in type(kind).__mro__)  # or IntRange
        if is_int and getattr(kind, "max", None) is None:
            bounded: Any = object.__new__(_bounded_class(type(kind)))
            bounded.__dict__.update(kind.__dict__)
            param.type = bounded
    for sub in getattr(command, "commands", {}).values():
        _bound_whole_numbers(sub)


_BOUNDED: dict[type, type] = {}


def _bounded_class(base: type) -> type:
    """``base`` (click's int type or int range) refusing numbers beyond :data:`MAX_WHOLE`; the
    help text stays the base's own."""
    if base not in _BOUNDED:

        def convert(self: Any, value: Any, param: Any, ctx: Any) -> Any:
            number = base.convert(self, value, param, ctx)  # type: ignore[attr-defined]
            if isinstance(number, int) and not -MAX_WHOLE <= number <= MAX_WHOLE:
                self.fail(
                    f"{str(value)[:30]!r} is not a whole number up to {MAX_WHOLE}", param, ctx
                )
            return number

        _BOUNDED[base] = type(f"Bounded{base.__name__}", (base,), {"convert": convert})
    return _BOUNDED[base]


def _no_options() -> None:
    """The holder group's callback: it only makes Typer build a group around the command."""


class _LazyCommands(MutableMapping[str, Any]):
    """The group's name -> command table: every name is known, each command built once."""

    def __init__(self, built: MutableMapping[str, Any], lazy: dict[str, LazyCommand]) -> None:
        self._built = dict(built)
        self._lazy = lazy

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self._lazy:
                raise KeyError(name)
            self._built[name] = self._lazy[name].load(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        self._built.pop(name, None)
        self._lazy.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._lazy
        yield from (name for name in self._built if name not in self._lazy)

    def __len__(self) -> int:
        return len(set(self._lazy) | set(self._built))


# How a command ends on purpose: Typer's exits and aborts, and click's usage errors (Typer carries
# its own copy of click, whose exceptions derive from TyperException).
_ENDINGS = (typer.Exit, typer.Abort, typer.exceptions.TyperException)


def lazy_group(commands: dict[str, LazyCommand]) -> type[typer.core.TyperGroup]:
    """A TyperGroup class (for ``typer.Typer(cls=...)``) whose subcommands are ``commands``."""

    class LazyGroup(typer.core.TyperGroup):
        def __init__(self, **attrs: Any) -> None:
            super().__init__(**attrs)
            self.commands = _LazyCommands(self.commands, dict(commands))

        def invoke(self, ctx: Any) -> Any:
            try:
                return super().invoke(ctx)
            except _ENDINGS:
                raise
            except Exception as exc:
                report_crash(exc, command_path(exc.__traceback__, ctx.command_path))

    return LazyGroup
