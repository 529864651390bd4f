"""Ranking on Arrow tables: ``rank``'s scores and order, computed from columns.

Each component is computed as a column with Arrow's kernels; the components, score and
``why`` are then made once per distinct tuple of component values (with the same code as
[`rank`][inspector_kit.triage.rank], so the arithmetic and the rounding are the same) and
spread over the rows with ``take``; the order is one ``sort_indices``. No Python code runs per
row. pyarrow is the ``arrow`` extra, imported when a table is ranked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspector_kit.errors import InvalidArgumentError, InvalidArgumentTypeError, TriageError
from inspector_kit.models import severity_rank
from inspector_kit.scoring import TABLE_INPUT_COLUMNS, NetworkExposure, rescore_table
from inspector_kit.scoring._table import _encoded, _Key, _pyarrow

from ._rank import _COMPONENTS, _EXPOSURE_VALUE, RANK_COLUMNS, Weights, _profile

if TYPE_CHECKING:
    from collections.abc import Mapping

    from inspector_kit.models import FindingDetail
    from inspector_kit.scoring import ExposurePolicy

__all__ = ["RANK_TABLE_INPUT_COLUMNS", "rank_table"]

RANK_TABLE_INPUT_COLUMNS: tuple[str, ...] = (
    *TABLE_INPUT_COLUMNS,
    "aws_account_id",
    "inspector_score",
    "epss_score",
    "exploit_available",
    "fix_available",
    "cvss_score",
)
"""The columns [`rank_table`][inspector_kit.triage.rank_table] reads (others are ignored).

Columns of finding records, Parquet snapshots and snapshot datasets alike; ``fixed_in`` (a
record column) is read too when present.

Examples:
    >>> from inspector_kit.history import PARQUET_COLUMNS
    >>> set(RANK_TABLE_INPUT_COLUMNS) <= set(PARQUET_COLUMNS)
    True
"""

_FIX = {"YES": 1.0, "PARTIAL": 0.5}


def rank_table(
    table: Any,
    *,
    exposures: Mapping[str, NetworkExposure | str] | None = None,
    weights: Weights | None = None,
    details: Mapping[str, FindingDetail] | None = None,
    policy: ExposurePolicy | None = None,
) -> Any:
    """Rank an Arrow table of findings: ``rank``'s records, as a sorted Arrow table.

    Reads the [`RANK_TABLE_INPUT_COLUMNS`][inspector_kit.triage.RANK_TABLE_INPUT_COLUMNS]
    of ``table`` (a ``pyarrow.Table`` or ``RecordBatch``: ``formats.to_arrow(findings)``,
    ``Snapshot.read_columns``, a snapshot dataset's ``scan``) and returns the columns of
    ``Ranking.to_records()`` (``RANK_COLUMNS``), riskiest first, in ``rank``'s order (score,
    then severity, highest first, then finding ARN). The arguments mean what they mean for
    [`rank`][inspector_kit.triage.rank]; the components are computed as columns, and the
    score and ``why`` once per distinct tuple of component values.

    One difference from ``rank``, because a table holds less than a finding: runtime
    reachability cannot be weighed (it reads each vulnerable package;
    ``Weights(reachability=...)`` is refused). Without ``fixAvailable`` the fix component
    reads the ``fixed_in`` column when the table has it (a Parquet snapshot does not), else
    counts 0; Inspector sets ``fixAvailable`` on package findings.

    Returns:
        A ``pyarrow.Table`` with the ``RANK_COLUMNS`` (``rank`` an ``int64``, scores and
        contributions ``float64``).

    Raises:
        MissingExtraError: pyarrow is not installed.
        InvalidArgumentError: a column ranking reads is missing (named), or the policy
            depends on tags.
        TriageError: ``weights`` weigh runtime reachability.
        InvalidArgumentTypeError: ``table`` is not a pyarrow table or record batch.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> from inspector_kit.formats import to_arrow
        >>> from inspector_kit.triage import rank
        >>> findings = list(sample_findings())
        >>> ranked = rank_table(to_arrow(findings))
        >>> ranked.num_rows == len(findings), ranked.column_names[:3]
        (True, ['rank', 'score', 'severity'])
        >>> ranked.to_pylist() == rank(findings).to_records()
        True
    """
    pa, pc = _pyarrow()
    weights = weights or Weights()
    if weights.reachability:
        raise TriageError(
            "a table cannot weigh runtime reachability (it reads each vulnerable package): "
            "rank the findings with rank()"
        )
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    elif not isinstance(table, pa.Table):
        raise InvalidArgumentTypeError(
            f"table must be a pyarrow.Table or RecordBatch, not {type(table).__name__}"
        )
    missing = [c for c in RANK_TABLE_INPUT_COLUMNS if c not in table.column_names]
    if missing:
        raise InvalidArgumentError(
            f"the table lacks the column(s) {', '.join(missing)} that ranking reads "
            "(RANK_TABLE_INPUT_COLUMNS)"
        )
    known = {rid: NetworkExposure(e) for rid, e in (exposures or {}).items()}
    details = details or {}
    table = table.combine_chunks()
    rescored = rescore_table(table, known, policy=policy).combine_chunks()
    rows = table.num_rows
    f64 = pa.float64()

    def column(name: str, source: Any = table) -> Any:
        array = source.column(name).combine_chunks()
        return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array

    # cvss: rescored where the resource's exposure is known, else inspectorScore, else base.
    listed = pc.is_in(column("resource_id"), value_set=pa.array(list(known), pa.string()))
    rescored_score = column("score", rescored)
    use_rescored = pc.and_(pc.fill_null(listed, False), pc.is_valid(rescored_score))
    inspector = column("inspector_score").cast(f64)
    base = column("cvss_score").cast(f64)
    cvss = pc.if_else(use_rescored, rescored_score, pc.coalesce(inspector, base))
    source = pc.if_else(
        use_rescored,
        "rescored",
        pc.if_else(
            pc.is_valid(inspector), "inspector", pc.if_else(pc.is_valid(base), "cvss", "none")
        ),
    )
    arns = column("finding_arn")
    epss = column("epss_score").cast(f64)
    zeros = pa.repeat(pa.scalar(0.0, f64), rows)
    kev = zeros
    if details:
        detail_arns = list(details)
        position = pc.index_in(arns, value_set=pa.array(detail_arns, pa.string()))
        detail_epss = pa.array([details[a].epss_score for a in detail_arns], f64)
        epss = pc.coalesce(epss, detail_epss.take(position))
        kev_arns = [a for a in detail_arns if details[a].cisa_data is not None]
        kev = pc.is_in(arns, value_set=pa.array(kev_arns, pa.string())).cast(f64)
    exploit = pc.fill_null(pc.equal(column("exploit_available"), "YES"), False).cast(f64)
    fix_text = column("fix_available")
    fix_known = _by_value(pa, pc, fix_text, _FIX)
    fallback = (
        pc.is_valid(column("fixed_in")).cast(f64) if "fixed_in" in table.column_names else zeros
    )
    fix = pc.if_else(pc.is_valid(fix_text), fix_known, fallback)
    exposure_value = {e.value: v for e, v in _EXPOSURE_VALUE.items()}
    exposure = _by_value(pa, pc, column("exposure", rescored), exposure_value)

    def clamped(values: Any) -> Any:
        return pc.min_element_wise(pc.max_element_wise(pc.fill_null(values, 0.0), 0.0), 1.0)

    values = (
        clamped(pc.divide(pc.fill_null(cvss, 0.0), 10.0)),
        clamped(epss),
        kev,
        exploit,
        fix,
        exposure,
    )
    # One profile per distinct tuple of values: rank's own arithmetic and rounding.
    key = _Key(pa, pc)
    for component in values:
        key.add(*_encoded(pa, pc, component))
    names = weights.components
    weight_of = {name: getattr(weights, name) for name in names}
    groups = pc.dictionary_encode(key.code)
    profiles = [
        _profile(names, tuple(key.decode(code)), weight_of, False)
        for code in groups.dictionary.to_pylist()
    ]
    take = groups.indices
    score = pa.array([p[1] for p in profiles], f64).take(take)
    severity = column("severity")
    ranks = {s: severity_rank(s) for s in pc.unique(severity).to_pylist() if s is not None}
    level = _by_value(pa, pc, severity, ranks, kind=pa.int64(), missing=-1)
    columns: dict[str, Any] = {
        "score": score,
        "severity": severity,
        "vulnerability_id": column("vulnerability_id"),
        "resource_id": column("resource_id"),
        "aws_account_id": column("aws_account_id"),
        "finding_arn": arns,
        "cvss_source": source,
    }
    for n, name in enumerate(_COMPONENTS):
        columns[name] = pa.array([p[0][n].contribution for p in profiles], f64).take(take)
    columns["why"] = pa.array([p[2] for p in profiles], pa.string()).take(take)
    ordering = pa.table({"score": score, "level": level, "finding_arn": arns})
    # sort_indices is a stable sort: a repeated ARN keeps its input order, as in rank().
    order = pc.sort_indices(
        ordering,
        sort_keys=[("score", "descending"), ("level", "descending"), ("finding_arn", "ascending")],
    )
    out = pa.table({name: _plain(pa, array) for name, array in columns.items()}).take(order)
    ranked = out.add_column(0, "rank", pa.array(range(1, rows + 1), pa.int64()))
    return ranked.select(list(RANK_COLUMNS))


def _plain(pa: Any, column: Any) -> Any:
    if pa.types.is_large_string(column.type):
        return column.cast(pa.string())
    return column


def _by_value(
    pa: Any,
    pc: Any,
    column: Any,
    mapping: Mapping[Any, Any],
    *,
    kind: Any = None,
    missing: Any = 0.0,
) -> Any:
    """``mapping[value]`` for every row of a string column, computed once per distinct value."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    indices, distinct = _encoded(pa, pc, column)
    looked_up = pa.array([mapping.get(v, missing) for v in distinct], kind or pa.float64())
    return looked_up.take(indices)
