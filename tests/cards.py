"""Helpers for tests that look inside rendered cards and blocks (JSON trees)."""

from __future__ import annotations

from typing import Any


def walk(node: Any) -> list[dict[str, Any]]:
    """Every dict in a card, depth first."""
    if isinstance(node, dict):
        return [node, *(n for v in node.values() for n in walk(v))]
    if isinstance(node, list):
        return [n for v in node for n in walk(v)]
    return []
