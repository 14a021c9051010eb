"""A small demo company runs its days with bank statements matched by the agent: the ledger holds."""

from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

from o2c.config import Settings, normalise_database_url
from o2c.sim.demo import run_demo

DEFAULT = Path(__file__).resolve().parents[2] / "src/o2c/sim/default_scenario.yaml"


def test_ledger_problems_stay_empty_after_days_of_cash_application(database_url: str, tmp_path: Path):
    scenario = yaml.safe_load(DEFAULT.read_text())
    scenario["customers"] = {"retail_chain": 2, "wholesaler": 5, "horeca": 8}
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(scenario))
    summary = run_demo(Settings(database_url=database_url), days=22, scenario_path=path)
    assert summary["ledger_balanced"]
    assert summary.get("ledger_problems", []) == []
    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as conn:
        applied = conn.execute(text("SELECT count(*) FROM proposals WHERE agent = 'cash_application' "
                                    "AND status = 'executed'")).scalar_one()
        payments = conn.execute(text("SELECT count(*) FROM payments")).scalar_one()
    engine.dispose()
    assert payments > 0 and applied > 0
