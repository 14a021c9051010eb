"""Named multi-step flows and the one durable workflow that runs them.

A flow is a name and an ordered list of idempotent steps (see ``steps``). ``run_flow`` is the
DBOS workflow body: it runs the flow's steps in order, each as a DBOS step that calls
``run_idempotent_step``. DBOS checkpoints each step's output, so after a crash the flow resumes
at the first unrecorded step; the step table makes that step's effect exactly-once.

Invariants:
- the workflow body is deterministic: given (flow_name, flow_id, pause_s) it calls the same steps
  and durable sleeps in the same order, so DBOS can replay it;
- ``flow_id`` is the DBOS workflow id and identifies one run of one flow; the same id is never
  reused for another flow;
- step names are unique within a flow (they key ``flow_step_runs``);
- steps run only while a runtime has bound a database engine (``bind_steps``);
- a step that raises ``StepWaiting`` is retried after a durable sleep that doubles from
  ``StepBinding.first_wait_s`` up to ``max_wait_s``; meanwhile the flow stays PENDING and its
  workflow event ``waiting`` names what it waits for (``FlowClient.waiting_for``), cleared when the
  step finally runs.
"""

from __future__ import annotations

import hashlib
import inspect
import time
from collections.abc import Sequence
from dataclasses import dataclass

from dbos import DBOS
from sqlalchemy import Engine

from o2c.runtime.steps import Clock, StepFunction, StepResult, StepWaiting, run_idempotent_step, utc_now

WAITING_EVENT = "waiting"
_WAITING_KEY = "__o2c_waiting__"


class UnknownFlowError(LookupError):
    """No flow of that name is registered in this process."""


@dataclass(frozen=True)
class FlowStep:
    name: str
    run: StepFunction


@dataclass(frozen=True)
class StepBinding:
    """What steps need from the running runtime.

    ``hold_after_commit_s`` is a fault-injection knob for recovery drills: each step waits that
    long after its transaction committed and before DBOS records it. Zero in production.
    ``first_wait_s`` and ``max_wait_s`` bound the sleeps of a flow whose step waits (``StepWaiting``).
    """

    engine: Engine
    executor_id: str
    clock: Clock = utc_now
    hold_after_commit_s: float = 0.0
    first_wait_s: float = 5.0
    max_wait_s: float = 300.0


_flows: dict[str, tuple[FlowStep, ...]] = {}
_binding: StepBinding | None = None


def register_flow(name: str, steps: Sequence[StepFunction]) -> None:
    """Register (or re-register identically) a flow; its step names are the functions' names."""
    flow = tuple(FlowStep(step.__name__, step) for step in steps)
    names = [step.name for step in flow]
    if not flow or len(set(names)) != len(names):
        raise ValueError(f"flow {name!r} needs at least one step and unique step names, got {names}")
    if name in _flows and _flows[name] != flow:
        raise ValueError(f"flow {name!r} is already registered with other steps")
    _flows[name] = flow


def flow_steps(name: str) -> tuple[FlowStep, ...]:
    try:
        return _flows[name]
    except KeyError:
        raise UnknownFlowError(f"no flow named {name!r} is registered") from None


def registered_flows() -> dict[str, tuple[str, ...]]:
    return {name: tuple(step.name for step in flow) for name, flow in sorted(_flows.items())}


def flows_fingerprint() -> str:
    """A hash of the workflow body and every flow's step list: what replay depends on."""
    digest = hashlib.sha256((inspect.getsource(run_flow) + inspect.getsource(_run_until_done)).encode())
    for name, step_names in registered_flows().items():
        digest.update(f"\n{name}:{','.join(step_names)}".encode())
    return digest.hexdigest()[:16]


def bind_steps(binding: StepBinding) -> None:
    global _binding
    _binding = binding


def unbind_steps() -> None:
    global _binding
    _binding = None


def run_flow(flow_name: str, flow_id: str, pause_s: float = 0.0) -> dict[str, StepResult]:
    """Run every step of ``flow_name`` for ``flow_id``; ``pause_s`` is a durable sleep between steps."""
    results: dict[str, StepResult] = {}
    for index, step in enumerate(flow_steps(flow_name)):
        if index and pause_s > 0:
            DBOS.sleep(pause_s)
        results[step.name] = _run_until_done(step, flow_id)
    return results


def _run_until_done(step: FlowStep, flow_id: str) -> StepResult:
    """Run the step; while it waits, publish why and sleep durably, doubling the sleep each time."""
    wait_s, waited = _current_binding().first_wait_s, False
    while True:
        result = DBOS.run_step({"name": step.name}, _run_step, step, flow_id)
        if not (isinstance(result, dict) and _WAITING_KEY in result):
            if waited:
                DBOS.set_event(WAITING_EVENT, None)
            return result
        if not waited:
            DBOS.set_event(WAITING_EVENT, f"{step.name}: {result[_WAITING_KEY]}")
            waited = True
        DBOS.sleep(wait_s)
        wait_s = min(wait_s * 2, _current_binding().max_wait_s)


def _run_step(step: FlowStep, flow_id: str) -> StepResult:
    binding = _current_binding()
    try:
        result = run_idempotent_step(
            binding.engine, flow_id, step.name, step.run, executor_id=binding.executor_id, clock=binding.clock
        )
    except StepWaiting as waiting:
        return {_WAITING_KEY: str(waiting)}
    if binding.hold_after_commit_s > 0:
        time.sleep(binding.hold_after_commit_s)
    return result


def _current_binding() -> StepBinding:
    if _binding is None:
        raise RuntimeError("no durable runtime is running in this process: call start_runtime first")
    return _binding

