"""Label layout for the two chart kinds: labels placed by measuring them, so that nothing
collides, nothing is clipped and no label hides a data point; then the axes laid out to fit.

:func:`finish` is called by :func:`demining_sdg.present.figures.save_chart` before the chart rules
are checked.
"""

from __future__ import annotations

import numpy as np
from matplotlib import text as mtext
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from demining_sdg.present import chart_checks

MARGIN = 0.02  # of the figure's width and height: nothing is drawn closer to the edge


def _renderer(fig: Figure):
    return chart_checks._renderer(fig)


def _extent(artist, renderer) -> Bbox:
    """The box of a text alone (an annotation's without its arrow), where it is now."""
    if isinstance(artist, mtext.Annotation):
        artist.update_positions(renderer)
    return mtext.Text.get_window_extent(artist, renderer)


def _labels(ax, role: str) -> list[mtext.Annotation]:
    return [t for t in ax.texts if getattr(t, "_chart_role", None) == role and t.get_visible() and t.get_text()]


def _px_per_pt(fig: Figure) -> float:
    return fig.dpi / 72


def _fit_value_labels(ax, renderer) -> None:
    """Extend the value axis so that every bar's value label ends inside the axes."""
    fig = ax.get_figure()
    pad = 4 * _px_per_pt(fig)
    for horizontal in (False, True):
        labels = [t for t in _labels(ax, "value") if t._chart_horizontal == horizontal]
        if not labels:
            continue
        low, high = ax.get_xlim() if horizontal else ax.get_ylim()
        length = ax.bbox.width if horizontal else ax.bbox.height
        needed = high
        for t in labels:
            box = _extent(t, renderer)
            value = t.xy[0] if horizontal else t.xy[1]
            if value <= low:
                continue
            anchor = ax.transData.transform(t.xy)[0 if horizontal else 1]
            beyond = (box.x1 if horizontal else box.y1) - anchor  # label length past the bar's end
            room = length - pad - beyond
            if room > length * 0.2:
                needed = max(needed, low + (value - low) * length / room)
        if needed > high:
            (ax.set_xlim if horizontal else ax.set_ylim)(low, needed)
        for t in labels:  # across the bar: a label wider (taller) than its bar stays inside the axes
            box = _extent(t, renderer)
            start, end = (box.y0, box.y1) if horizontal else (box.x0, box.x1)
            first, last = (ax.bbox.y0, ax.bbox.y1) if horizontal else (ax.bbox.x0, ax.bbox.x1)
            shift = max(0.0, first + pad - start) - max(0.0, end - (last - pad))
            if shift:
                dx, dy = t.xyann
                t.xyann = (dx, dy + shift / _px_per_pt(fig)) if horizontal else (dx + shift / _px_per_pt(fig), dy)


def _stagger_value_labels(ax, renderer) -> None:
    """Value labels of neighbouring vertical bars that would overlap: raise the later one."""
    labels = sorted((t for t in _labels(ax, "value") if not t._chart_horizontal), key=lambda t: t.xy[0])
    placed: list[Bbox] = []
    for t in labels:
        for _ in range(4):
            box = _extent(t, renderer)
            hit = [b for b in placed if b.overlaps(box)]
            if not hit:
                break
            raise_by = (max(b.y1 for b in hit) - box.y0 + 2 * _px_per_pt(ax.get_figure())) / _px_per_pt(ax.get_figure())
            t.xyann = (t.xyann[0], t.xyann[1] + raise_by)
        placed.append(_extent(t, renderer))


def _attached(ax, renderer) -> list[Bbox]:
    """Boxes that move with the axes and must fit in the frame: axes, tick labels, axis labels,
    line-end labels, value labels and a legend placed outside the axes."""
    boxes = [ax.bbox, ax.xaxis.get_tightbbox(renderer), ax.yaxis.get_tightbbox(renderer)]
    boxes += [_extent(t, renderer) for t in _labels(ax, "end") + _labels(ax, "value")]
    legend = ax.get_legend()
    if legend is not None and getattr(legend, "_chart_outside", False):
        boxes.append(legend.get_window_extent(renderer))
    return [b for b in boxes if b is not None and b.width > 0]


def _lay_out(ax, box: Bbox, renderer) -> None:
    """Move the axes edges until everything attached to them fills ``box`` (display px)."""
    fig = ax.get_figure()
    for _ in range(12):
        _fit_value_labels(ax, renderer)
        _stagger_value_labels(ax, renderer)
        block = Bbox.union(_attached(ax, renderer))
        left, bottom = box.x0 - block.x0, box.y0 - block.y0
        right, top = block.x1 - box.x1, block.y1 - box.y1
        if max(abs(left), abs(bottom), abs(right), abs(top)) < 0.5:
            break
        now = ax.bbox
        x0, y0, x1, y1 = now.x0 + left, now.y0 + bottom, now.x1 - right, now.y1 - top
        if x1 - x0 < 0.25 * fig.bbox.width or y1 - y0 < 0.2 * fig.bbox.height:
            break  # what is attached is too big: leave it for the checks to report
        ax.set_position(Bbox.from_extents(x0, y0, x1, y1).transformed(fig.transFigure.inverted()))
    _fit_value_labels(ax, renderer)


def _spread_end_labels(ax, renderer) -> None:
    """Line-end labels that would overlap are pushed apart vertically, within the axes' height."""
    labels = _labels(ax, "end")
    if len(labels) < 2:
        return
    per_pt = _px_per_pt(ax.get_figure())
    gap = 3 * per_pt
    boxes = [_extent(t, renderer) for t in labels]
    centres = [(b.y0 + b.y1) / 2 for b in boxes]
    heights = [b.height for b in boxes]
    low, high = ax.bbox.y0, ax.bbox.y1 + 0.5 * max(heights)
    wanted = list(centres)
    for _ in range(300):
        moved = False
        order = sorted(range(len(labels)), key=lambda i: (wanted[i], i))
        for a_pos, i in enumerate(order):
            for j in order[a_pos + 1 :]:
                if boxes[i].x1 <= boxes[j].x0 or boxes[j].x1 <= boxes[i].x0:
                    continue
                need = (heights[i] + heights[j]) / 2 + gap
                apart = wanted[j] - wanted[i]
                if apart < need - 0.01:
                    push = (need - apart) / 2
                    wanted[i] -= push
                    wanted[j] += push
                    moved = True
        for i in range(len(labels)):
            wanted[i] = min(max(wanted[i], low + heights[i] / 2), high - heights[i] / 2)
        if not moved:
            break
    for t, now, new in zip(labels, centres, wanted):
        if abs(new - now) > 0.01:
            t.xyann = (t.xyann[0], t.xyann[1] + (new - now) / per_pt)


MARKER_WEIGHT = 12.0  # hiding a data point is far worse than covering a stretch of line


class _Obstacles:
    """What a label should not cover: points along the lines and around the markers (display px,
    each with the index of its line in ``ax.lines``) and the boxes of the bars."""

    def __init__(self, ax, renderer):
        fig = ax.get_figure()
        step = 2.5 * _px_per_pt(fig)
        points, owners, weights = [np.empty((0, 2))], [np.empty(0, dtype=int)], [np.empty(0)]
        for index, line in enumerate(ax.lines):
            if not line.get_visible():
                continue
            xy = np.asarray(line.get_xydata(), dtype=float)
            finite = np.isfinite(xy).all(axis=1)
            if not finite.any():
                continue
            px = np.full_like(xy, np.nan)
            px[finite] = line.get_transform().transform(xy[finite])
            found = []
            if line.get_linestyle() not in ("None", "none", "", " ") and len(px) > 1:
                for a, b in zip(px[:-1], px[1:]):
                    if not (np.isfinite(a).all() and np.isfinite(b).all()):
                        continue  # a gap in the line
                    n = max(2, int(np.hypot(*(b - a)) / step) + 1)
                    found.append((a + (b - a) * np.linspace(0, 1, n)[:, None], 1.0))
            px = px[finite]
            if line.get_marker() not in (None, "None", "none", "", " "):
                r = line.get_markersize() / 2 * _px_per_pt(fig) + 2
                ring = np.array([[0, 0], [r, 0], [-r, 0], [0, r], [0, -r], [r, r], [-r, -r], [r, -r], [-r, r]])
                found.append(((px[:, None, :] + ring[None, :, :]).reshape(-1, 2), MARKER_WEIGHT))
            for chunk, weight in found:
                points.append(chunk)
                owners.append(np.full(len(chunk), index))
                weights.append(np.full(len(chunk), weight))
        self.points = np.concatenate(points)
        self.owners = np.concatenate(owners)
        self.weights = np.concatenate(weights)
        self.bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_visible()]
        self.lines = list(ax.lines)

    def _mask(self, skip_line=None, near=None, radius: float = 0.0) -> np.ndarray:
        keep = np.ones(len(self.points), dtype=bool)
        for line in skip_line if isinstance(skip_line, list | tuple) else [skip_line]:
            if line is not None and line in self.lines:
                keep &= self.owners != self.lines.index(line)
        if near is not None:
            keep &= np.hypot(*(self.points - near).T) > radius
        return keep

    def cost(self, box: Bbox, *, skip_line=None, near=None, radius: float = 0.0) -> float:
        keep = self._mask(skip_line, near, radius)
        pts, weights = self.points[keep], self.weights[keep]
        inside = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
        return float(weights[inside].sum()) + 50.0 * sum(1 for b in self.bars if b.overlaps(box))

    def along(self, samples: np.ndarray, *, within: float, skip_line=None) -> float:
        """How many obstacle points lie within ``within`` px of a path of ``samples``."""
        keep = self._mask(skip_line)
        pts, weights = self.points[keep], self.weights[keep]
        if not len(pts) or not len(samples):
            return 0.0
        distance = np.hypot(pts[:, None, 0] - samples[None, :, 0], pts[:, None, 1] - samples[None, :, 1])
        return float(weights[distance.min(axis=1) < within].sum())

    def copy(self) -> _Obstacles:
        other = object.__new__(_Obstacles)
        other.__dict__.update(self.__dict__)
        return other

    def add(self, samples: np.ndarray) -> None:
        self.points = np.concatenate([self.points, samples])
        self.owners = np.concatenate([self.owners, np.full(len(samples), -1)])
        self.weights = np.concatenate([self.weights, np.ones(len(samples))])


def _hits(box: Bbox, taken: list[Bbox]) -> bool:
    return any(box.overlaps(other) for other in taken)


def _inside(box: Bbox, area: Bbox, tolerance: float = 1.0) -> bool:
    return (
        box.x0 >= area.x0 - tolerance
        and box.x1 <= area.x1 + tolerance
        and box.y0 >= area.y0 - tolerance
        and box.y1 <= area.y1 + tolerance
    )


def _best(t: mtext.Annotation, candidates, apply, score, renderer, area: Bbox, taken, pad: float, measured=None):
    """Try each candidate placement of ``t`` (``apply`` moves it there); keep the one inside
    ``area`` that overlaps no text of ``taken`` and has the lowest ``score(candidate, box)``
    (None: not allowed). Without any, the least bad one: the checks will then report it.
    ``measured`` (a dict) keeps the box of each label at each candidate for later tries."""
    best, best_cost = None, None
    fallback = []
    for rank, candidate in enumerate(candidates):
        if measured is None or (box := measured.get((id(t), candidate))) is None:
            apply(t, candidate)
            box = _extent(t, renderer)
            if measured is not None:
                measured[(id(t), candidate)] = box
        clash = _hits(box.padded(pad), taken)
        outside = not _inside(box, area)
        cost = score(candidate, box)
        fallback.append((1000 * clash + 1000 * outside + (cost if cost is not None else 500), rank))
        if clash or outside or cost is None:
            continue
        cost += 0.01 * rank
        if best_cost is None or cost < best_cost:
            best, best_cost = candidate, cost
            if cost < 0.5:
                break
    if best is None:
        best_cost, rank = min(fallback)
        best = candidates[rank]
    apply(t, best)
    return best, _extent(t, renderer), best_cost


def _place_legend(ax, renderer, taken: list[Bbox], obstacles: _Obstacles, area: Bbox) -> bool:
    """Put the legend in a corner of the axes where it covers no text and no data; False if no
    such corner exists (the legend then goes above the axes, in a row)."""
    legend = ax.get_legend()
    if legend is None or getattr(legend, "_chart_outside", False):
        return True
    pad = 5 * _px_per_pt(ax.get_figure())
    for loc in (
        "upper left",
        "upper right",
        "lower right",
        "lower left",
        "center left",
        "center right",
        "upper center",
    ):
        legend.set_loc(loc)
        box = legend.get_window_extent(renderer)
        if _inside(box, ax.bbox) and not _hits(box.padded(pad), taken) and obstacles.cost(box.padded(pad)) == 0:
            return True
    for ncols in range(len(legend.legend_handles), 0, -1):
        legend.set_ncols(ncols)
        legend.set_loc("lower left")
        legend.set_bbox_to_anchor((0, 1.01), transform=ax.transAxes)
        if legend.get_window_extent(renderer).width <= area.width:
            break
    legend._chart_outside = True
    return False


def _offset(t, candidate) -> None:
    dx, dy, ha, va = candidate
    t.xyann = (dx, dy)
    t.set_ha(ha)
    t.set_va(va)
    if t.arrow_patch is not None:
        t.arrow_patch.set_visible(_far(candidate))


def _far(candidate) -> bool:
    return abs(candidate[0]) > 14 or abs(candidate[1]) > 14


def _anchor_px(t, renderer) -> np.ndarray:
    t.update_positions(renderer)
    return np.asarray(t._get_xy_display())


def _place_end_labels(ax, renderer, box: Bbox, taken: list[Bbox], obstacles: _Obstacles) -> list[Bbox]:
    """Each line-end label where it covers no data: to the right of the line's end (after the
    vertical spread), else a little higher or lower, above, below or to the left."""
    labels = _labels(ax, "end")
    per_pt = _px_per_pt(ax.get_figure())
    pad = 2 * per_pt
    placed = []
    for t in labels:
        others = [_extent(o, renderer) for o in labels if o is not t]
        height = _extent(t, renderer).height / per_pt
        dx, dy = t.xyann
        candidates = [(dx, dy, "left", "center")]
        candidates += [(dx, dy + k * height, "left", "center") for k in (0.6, -0.6, 1.1, -1.1, 1.7, -1.7, 2.4, -2.4)]
        candidates += [(0, 11, "center", "bottom"), (0, -11, "center", "top")]
        candidates += [(-dx, k * height, "right", "center") for k in (0, 0.6, -0.6, 1.2, -1.2)]
        own = getattr(t, "_chart_marker", None)

        def score(candidate, where, own=own, first=candidates[0]):
            shift = 0 if candidate == first else 2 + abs(candidate[1]) / 10
            return obstacles.cost(where.padded(pad), skip_line=own) + shift

        area = Bbox.from_extents(box.x0, ax.bbox.y0, box.x1, box.y1)
        _, where, _ = _best(t, candidates, _offset, score, renderer, area, taken + others, pad)
        placed.append(where)
    return placed


POINT_OFFSETS = [
    (dx * d, dy * d, ha, va)
    for d in (1, 2.4, 4)
    for dx, dy, ha, va in (
        (9, 0, "left", "center"),
        (9, -3, "left", "top"),
        (9, 3, "left", "bottom"),
        (8, -7, "left", "top"),
        (8, 7, "left", "bottom"),
        (-9, 0, "right", "center"),
        (-8, -7, "right", "top"),
        (-8, 7, "right", "bottom"),
        (0, 10, "center", "bottom"),
        (0, -10, "center", "top"),
    )
]
FAR_PENALTY = 25.0  # as bad as covering some 60 px of line: a label stays by its point when it can


def _leader(anchor: np.ndarray, box: Bbox, skip: float, step: float) -> np.ndarray:
    """Points along a leader line from ``skip`` px off the anchor to the nearest point of ``box``."""
    target = np.array([min(max(anchor[0], box.x0), box.x1), min(max(anchor[1], box.y0), box.y1)])
    length = float(np.hypot(*(target - anchor)))
    if length <= skip:
        return np.empty((0, 2))
    n = max(2, int((length - skip) / step) + 1)
    direction = (target - anchor) / length
    return anchor + direction * np.linspace(skip, length, n)[:, None]


def _place_point_labels(ax, renderer, taken: list[Bbox], obstacles: _Obstacles) -> None:
    """Labels of loose points by their points, greedily, in the order (of a few tried: as given,
    reversed, top down, bottom up, left to right) that covers the least."""
    labels = _labels(ax, "point")
    if not labels:
        return
    per_pt = _px_per_pt(ax.get_figure())
    pad, skip = 2 * per_pt, 8 * per_pt
    anchors = {id(t): _anchor_px(t, renderer) for t in labels}
    orders = [labels, labels[::-1]]
    orders += [sorted(labels, key=lambda t: -anchors[id(t)][1]), sorted(labels, key=lambda t: anchors[id(t)][1])]
    orders += [sorted(labels, key=lambda t: anchors[id(t)][0])]
    best, measured = None, {}  # a label's box at an offset is the same in every order: measured once
    for order in orders[: 5 if len(labels) > 1 else 1]:
        result = _place_in_order(
            order, anchors, renderer, ax.bbox, list(taken), obstacles.copy(), pad, skip, per_pt, measured
        )
        if best is None or result[0] < best[0]:
            best = result
    _, chosen, leaders, boxes = best
    for t, candidate in chosen:
        _offset(t, candidate)
    for line in leaders:
        obstacles.add(line)
    taken.extend(boxes)


def _place_in_order(order, anchors, renderer, area, taken, obstacles, pad, skip, per_pt, measured):
    total, chosen, leaders, boxes = 0.0, [], [], []
    for t in order:
        anchor = anchors[id(t)]
        own = getattr(t, "_chart_marker", None)

        def score(candidate, where, anchor=anchor, own=own):
            cost = obstacles.cost(where.padded(pad), skip_line=own)
            if not _far(candidate):
                return cost
            line = _leader(anchor, where, skip, 2 * per_pt)
            if any(b.contains(*p) for b in taken for p in line):
                return None  # a leader line through a text
            return cost + FAR_PENALTY + obstacles.along(line, within=3 * per_pt, skip_line=own)

        candidate, where, cost = _best(t, POINT_OFFSETS, _offset, score, renderer, area, taken, pad, measured)
        total += cost
        if _far(candidate):
            line = _leader(anchor, where, skip, 2 * per_pt)
            obstacles.add(line)
            leaders.append(line)
        taken.append(where)
        boxes.append(where)
        chosen.append((t, candidate))
    return total, chosen, leaders, boxes


def _reference_candidates(t) -> list:
    if t._chart_vertical:
        return [(fy, side) for fy in (0.98, 0.02, 0.5, 0.75, 0.25) for side in (1, -1)]
    return [(fx, side) for side in (1, -1) for fx in (0.01, 0.99, 0.5, 0.25, 0.75)]


def _apply_reference(t, candidate) -> None:
    where, side = candidate
    if t._chart_vertical:
        t.xy = (t._chart_value, where)
        t.xyann = (5 * side, 0)
        t.set_ha("left" if side > 0 else "right")
        t.set_va("top" if where > 0.9 else "bottom" if where < 0.1 else "center")
    else:
        t.xy = (where, t._chart_value)
        t.xyann = (0, 5 * side)
        t.set_ha("left" if where < 0.1 else "right" if where > 0.9 else "center")
        t.set_va("bottom" if side > 0 else "top")


def _place_reference_labels(ax, renderer, taken: list[Bbox], obstacles: _Obstacles) -> None:
    pad = 2 * _px_per_pt(ax.get_figure())
    for t in _labels(ax, "reference"):
        line = getattr(t, "_chart_line", None)

        def score(candidate, where, line=line):
            return obstacles.cost(where.padded(pad), skip_line=line)

        _, where, _ = _best(t, _reference_candidates(t), _apply_reference, score, renderer, ax.bbox, taken, pad)
        taken.append(where)


def _fixed_texts(fig: Figure, ax, renderer) -> list[Bbox]:
    """Boxes of the texts that stay where they are: all but the movable labels of ``ax``."""
    movable = set(_labels(ax, "reference") + _labels(ax, "point") + _labels(ax, "end"))
    legend = ax.get_legend()
    outside = legend is not None and getattr(legend, "_chart_outside", False)
    if legend is not None and not outside:
        movable |= set(legend.get_texts())
    return [d.bbox for d in chart_checks.drawn_texts(fig) if d.artist not in movable]


def finish(fig: Figure, box: Bbox | None = None) -> None:
    """Lay the axes out in ``box`` (display px) and place the labels the views marked: end labels
    spread and kept off the data, the legend in an empty corner (else above the axes), reference
    labels along their lines, point labels by their points (see the module docstring)."""
    renderer = _renderer(fig)
    if box is None:
        w, h = fig.bbox.width, fig.bbox.height
        box = Bbox.from_extents(MARGIN * w, MARGIN * h, (1 - MARGIN) * w, (1 - MARGIN) * h)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    for ax in axes:
        for round_ in range(3):  # lay out, place; again with the labels where they went (and the legend)
            if len(axes) == 1:
                _lay_out(ax, box, renderer)
            if round_ == 0:
                _spread_end_labels(ax, renderer)
            fixed = _fixed_texts(fig, ax, renderer)
            obstacles = _Obstacles(ax, renderer)
            ends = _place_end_labels(ax, renderer, box, fixed, obstacles)
            settled = _place_legend(ax, renderer, fixed + ends, obstacles, box) or len(axes) > 1
            if round_ >= 1 and settled:
                break
        taken = fixed + ends
        legend = ax.get_legend()
        if legend is not None:
            taken.append(legend.get_window_extent(renderer))  # the whole box, handles too
        _place_reference_labels(ax, renderer, taken, obstacles)
        _place_point_labels(ax, renderer, taken, obstacles)


# -- saving -------------------------------------------------------------------------------------
