"""Order noise profiles: validated strictly, shipped ones documented, and the generator blind to the checker."""

from __future__ import annotations

import ast
import random
from datetime import date
from pathlib import Path

import pytest

import o2c
from o2c.bench.order_noise import KINDS, ProfileError, load_profile, profile_schema, shipped_profile
from o2c.bench.order_traffic import OrderTraffic, bench_world
from o2c.policy.order_intake import intake_rules_of

SRC = Path(o2c.__file__).parent
CHECKER = (
    "o2c.domain.order_checks",
    "o2c.policy",
    "o2c.services.intake",
    "o2c.agents",
    "o2c.bench.order_baseline",
    "o2c.bench.orders",
)


def _o2c_imports(module: str) -> set[str]:
    """Every o2c module ``module`` imports, directly or through other o2c modules."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = SRC.parent / (name.replace(".", "/") + ".py")
        if not path.exists():
            path = SRC.parent / name.replace(".", "/") / "__init__.py"
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("o2c"):
                todo.append(node.module)
                todo += [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                todo += [alias.name for alias in node.names if alias.name.startswith("o2c")]
    return seen


def _checker_modules(module: str) -> set[str]:
    return {m for m in _o2c_imports(module) if any(m == c or m.startswith(c + ".") for c in CHECKER)}


def test_the_bench_generator_imports_nothing_of_the_checker_directly_or_indirectly():
    for module in ("o2c.bench.order_traffic", "o2c.bench.order_noise", "o2c.sim.order_documents"):
        assert _checker_modules(module) == set(), module


def test_the_import_walk_does_find_the_checker_where_a_module_uses_it():
    assert "o2c.domain.order_checks" in _checker_modules("o2c.bench.order_baseline")


def test_the_shipped_profiles_validate_and_the_harsh_one_puts_several_mistakes_on_most_bad_orders():
    default, harsh = load_profile(), load_profile(shipped_profile("harsh"))
    assert default.name == "default" and set(default.mistakes.kinds) == set(KINDS)
    several = sum(w for n, w in harsh.mistakes.per_order.items() if n > 1) / sum(
        harsh.mistakes.per_order.values()
    )
    assert several > 0.5


def test_an_unknown_key_in_a_profile_is_an_error_naming_the_key(tmp_path):
    text = (
        shipped_profile("default")
        .read_text()
        .replace("  order_share: 0.15", "  order_share: 0.15\n  typo_share: 1")
    )
    (tmp_path / "p.yaml").write_text(text)
    with pytest.raises(ProfileError, match=r"mistakes\.typo_share: Extra inputs are not permitted"):
        load_profile(tmp_path / "p.yaml")


def test_an_unknown_mistake_kind_and_a_range_upside_down_are_refused(tmp_path):
    text = shipped_profile("default").read_text()
    (tmp_path / "kind.yaml").write_text(text.replace("stock_short: 1", "stock_shortage: 1"))
    with pytest.raises(ProfileError, match=r"unknown mistake kind.*stock_shortage"):
        load_profile(tmp_path / "kind.yaml")
    (tmp_path / "span.yaml").write_text(
        text.replace("quantity_factor: {low: 3.0, high: 12.0}", "quantity_factor: {low: 12.0, high: 3.0}")
    )
    with pytest.raises(ProfileError, match=r"quantity_factor.*below low"):
        load_profile(tmp_path / "span.yaml")


def test_a_missing_profile_file_is_a_one_line_error(tmp_path):
    with pytest.raises(ProfileError, match=r"nope\.yaml"):
        load_profile(tmp_path / "nope.yaml")


def test_the_schema_forbids_extra_keys():
    assert '"additionalProperties": false' in profile_schema()


def test_the_harsh_generator_makes_orders_with_several_mistakes_and_unusual_clean_orders():
    profile = load_profile(shipped_profile("harsh"))
    orders = OrderTraffic(bench_world(profile, 3, date(2026, 12, 10)), profile, random.Random(3)).draw(400)
    assert sum(len(o.errors) >= 2 for o in orders) > 40
    assert sum(bool(o.notes) and not o.errors for o in orders) > 30


def test_policy_intake_rules_refuse_unknown_keys_and_bad_values():
    from o2c.domain.errors import PolicyError

    with pytest.raises(PolicyError, match=r"unknown key.*quantity_factor"):
        intake_rules_of({"quantity_factor": 3})
    with pytest.raises(PolicyError, match="quantity_above_usual"):
        intake_rules_of({"quantity_above_usual": -1})
    assert intake_rules_of({"closed_weekdays": ["saturday", "sunday"]}).closed_weekdays == frozenset({5, 6})
