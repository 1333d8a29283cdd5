"""Stage 4, execute: the rules on every file the plan left to analyse, in
worker processes (dispatch.py) or, for a few files, in this one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, NamedTuple

from nooble_codemod.engine import tasks
from nooble_codemod.engine.dispatch import BATCH, guided
from nooble_codemod.engine.gcpause import collected_at_end, collector_paused
from nooble_codemod.model import FileResult, RuleInfo, RunResult

if TYPE_CHECKING:
    from nooble_codemod.engine.cache import ResultCache
    from nooble_codemod.engine.dispatch import Workers
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.engine.request import RunRequest
    from nooble_codemod.engine.stages.planning import Plan
    from nooble_codemod.engine.tasks import Work
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec

# (files done, files to do), after each batch.
Progress = Callable[[int, int], None]


class Outcome(NamedTuple):
    """What the stages after execute work on: the run's result so far."""

    request: RunRequest
    result: RunResult
    # This process's pipeline, for the stages after (scaffolds are parsed with it).
    pipeline: Pipeline
    # Every file found (absolute paths): scaffolds look beside them.
    paths: list[str]
    # The project model's decisions by report path (stages/projectwide.py).
    project: dict = {}


def execute(plan: Plan, workers: Workers, on_progress: Progress | None = None) -> Outcome:
    # Imported here, not with the module: a replayed run needs none of it.
    from nooble_codemod.engine.pipeline import Pipeline

    request, fix = plan.request, plan.request.mode.fixes
    result = RunResult(request.mode, files=list(plan.known), errors=list(plan.errors), output_memo=plan.output_memo)
    record = _Recorder(result.files, plan.cache, plan.stamps, len(plan.work), on_progress)
    pipeline = Pipeline(request.spec, request.settings)  # cheap: rules are imported on first use, often never
    infos = None
    pool = workers.start_for(plan.work)
    project = plan.project or {}
    if pool is None:
        _here(plan.work, pipeline, fix, record, project)
    else:
        infos = _in_workers(pool, workers.unsent(plan.work), workers.jobs, fix, record, project)
    workers.close()  # all done: the workers go before this process's tail
    result.rules = _rules(plan.cache, infos, request.settings, request.spec)
    return Outcome(request, result, pipeline, plan.found.paths, project)


class _Recorder:
    """Takes results as they come: into the run's files, into the result
    cache (while workers run, this process has a core's share to spare;
    after them it would be a tail only one core works on), and to progress."""

    def __init__(self, files: list[FileResult], cache: ResultCache | None, stamps: dict, total: int,
                 on_progress: Progress | None) -> None:
        self.files, self.cache, self.stamps = files, cache if stamps else None, stamps
        self.done, self.total, self.on_progress = 0, total, on_progress

    def __call__(self, results: list[FileResult]) -> None:
        self.files.extend(results)
        if self.cache is not None:
            for r in results:
                stamp = self.stamps.get(r.path)
                if stamp is not None:
                    self.cache.put(r.path, stamp, r)
        self.done += len(results)
        if self.on_progress:
            self.on_progress(self.done, self.total)


def _here(work: list[Work], pipeline: Pipeline, fix: bool, record: _Recorder, project: dict) -> None:
    for at in range(0, len(work), BATCH):
        with collected_at_end():  # as in a worker
            record([tasks.process_one(pipeline, abs_path, rel, size, fix, project.get(rel))
                    for abs_path, rel, size in work[at:at + BATCH]])


def _in_workers(pool, work: list[Work], jobs: int, fix: bool, record: _Recorder,
                project: dict) -> tuple[RuleInfo, ...] | None:
    """Runs `work` on the pool (besides what it was given during the walk);
    the rule infos a worker reports."""
    infos = None
    # What arrives lives to the end of the run (results, cache entries):
    # collections would walk it again and again and find nothing to free.
    with collector_paused():
        for batch in guided(work, jobs):
            decided = {rel: project[rel] for _, rel, _ in batch if rel in project}
            pool.submit(tasks.process_batch, batch, fix, decided or None)
        # The reports need which checklist items the rules cover. A worker,
        # with its rules imported by now, says so last: importing them here
        # (LibCST with them) would take CPU from the workers.
        covered = pool.submit(tasks.rule_infos)
        for task, value in pool.completed():
            if task == covered:
                infos = value
            else:
                record(tasks.unpacked(value))
    return infos


def _rules(cache: ResultCache | None, infos: tuple[RuleInfo, ...] | None,
           settings: Settings, spec: Spec) -> tuple[RuleInfo, ...] | None:
    """What the reports need of the rules, as far as it is known without
    importing them; the result cache saved."""
    if cache is None:
        return infos
    if cache.dirty and (cache.rules is None or infos is not None):
        # Files were analysed: record what the reports need of the rules,
        # for the runs that analyse nothing. The cache file's key covers
        # the version and the settings that select rules.
        from nooble_codemod.rules import rule_infos

        cache.remember_rules(infos if infos is not None else rule_infos(settings, spec))
    cache.save()
    return cache.rules
