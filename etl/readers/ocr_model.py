"""The PP-OCRv4 recogniser graph, simplified exactly before onnxruntime loads it.

The exported model (Paddle -> ONNX) spells every block as Conv, then a learnable scale and
shift (Mul, Add by one number each), then hard-swish as four element-wise ops (Add 3, Clip
0..6, Mul, Div 6), then another scale and shift. onnxruntime fuses none of these, and the
element-wise passes cost about a third of recognition. Three rewrites, each the same
arithmetic (outputs differ by float rounding only, ~1e-4 in probability):

- Conv -> Mul(s) -> Add(t): the scale and shift go into the conv's weights and bias;
- Mul(s) -> Add(t) -> 1x1 Conv without padding: likewise into the next conv
  (W·(s·x + t) + b = (s·W)·x + (b + t·ΣW)); not before padded convs, whose borders see zeros;
- x·clip(x + 3, 0, 6)/6 -> x·HardSigmoid(x) with alpha 1/6, beta 1/2.

Patterns that do not match are left as they are, so another model version loads unchanged.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def simplified(path: Path) -> bytes:
    """The model at `path`, rewritten as above, serialised for onnxruntime.InferenceSession."""
    import onnx

    model = onnx.load(str(path))
    _Graph(model.graph).rewrite()
    return model.SerializeToString()


class _Graph:
    def __init__(self, graph) -> None:  # onnx.GraphProto
        from onnx import numpy_helper

        self.g = graph
        self.consts = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
        self.nodes = []
        for n in graph.node:
            if n.op_type == "Constant" and [a.name for a in n.attribute] == ["value"]:
                self.consts[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
            else:
                self.nodes.append(n)
        for i, n in enumerate(self.nodes):
            n.name = n.name or f"node{i}"
        self.outputs = {o.name for o in graph.output}

    def rewrite(self) -> None:
        self._fold_affine_after_conv()
        self._fold_affine_before_pointwise_conv()
        self._hard_swish()
        self._store()

    # -- graph helpers --
    def _only_user(self, name: str, op: str):
        users = [n for n in self.nodes if name in n.input]
        ok = len(users) == 1 and users[0].op_type == op and name not in self.outputs
        return users[0] if ok else None

    def _scalar(self, node, operand: str) -> float | None:
        """The other input of a binary node when it is a one-number constant."""
        rest = [i for i in node.input if i != operand]
        if len(rest) != 1 or rest[0] not in self.consts or self.consts[rest[0]].size != 1:
            return None
        return float(self.consts[rest[0]].reshape(-1)[0])

    def _affine(self, name: str):
        """Mul(s) then Add(t) applied to `name` (each by a constant): (mul, add, s, t) or None."""
        mul = self._only_user(name, "Mul")
        s = self._scalar(mul, name) if mul else None
        add = self._only_user(mul.output[0], "Add") if s is not None else None
        t = self._scalar(add, mul.output[0]) if add else None
        return None if t is None else (mul, add, s, t)

    def _weights(self, conv) -> tuple[np.ndarray, np.ndarray]:
        w = self.consts[conv.input[1]]
        b = self.consts[conv.input[2]] if len(conv.input) > 2 else np.zeros(w.shape[0], np.float32)
        return w, b

    def _set_weights(self, conv, x: str, w: np.ndarray, b: np.ndarray) -> None:
        names = (f"{conv.name}/w_folded", f"{conv.name}/b_folded")
        self.consts[names[0]], self.consts[names[1]] = w.astype(np.float32), b.astype(np.float32)
        del conv.input[:]
        conv.input.extend([x, *names])

    def _pointwise(self, conv) -> bool:
        """A 1x1 conv without padding or groups, its weights a constant."""
        from onnx import helper

        attrs = {a.name: helper.get_attribute_value(a) for a in conv.attribute}
        return (list(attrs.get("kernel_shape", [])) == [1, 1] and not any(attrs.get("pads", []))
                and attrs.get("group", 1) == 1 and conv.input[1] in self.consts)

    def _drop(self, nodes: list) -> None:
        gone = {id(n) for n in nodes}
        self.nodes = [n for n in self.nodes if id(n) not in gone]

    # -- rewrites --
    def _fold_affine_after_conv(self) -> None:
        for conv in [n for n in self.nodes if n.op_type == "Conv" and n.input[1] in self.consts]:
            found = self._affine(conv.output[0])
            if found is None:
                continue
            mul, add, s, t = found
            w, b = self._weights(conv)
            self._set_weights(conv, conv.input[0], w * s, b * s + t)
            conv.output[0] = add.output[0]
            self._drop([mul, add])

    def _fold_affine_before_pointwise_conv(self) -> None:
        for mul in [n for n in self.nodes if n.op_type == "Mul"]:
            xs = [i for i in mul.input if i not in self.consts]
            found = self._affine(xs[0]) if len(xs) == 1 else None
            if found is None or found[0] is not mul:
                continue
            _, add, s, t = found
            conv = self._only_user(add.output[0], "Conv")
            if conv is None or not self._pointwise(conv):
                continue
            w, b = self._weights(conv)
            self._set_weights(conv, xs[0], w * s, b + t * w.sum(axis=(1, 2, 3)))
            self._drop([mul, add])

    def _hard_swish(self) -> None:
        from onnx import helper

        replaced: dict[int, list] = {}
        for add in [n for n in self.nodes if n.op_type == "Add"]:
            chain = self._hard_swish_chain(add)
            if chain is None:
                continue
            x, clip, mul, div = chain
            gate = helper.make_node("HardSigmoid", [x], [f"{add.name}/gate"], name=f"{add.name}/gate",
                                    alpha=1 / 6, beta=0.5)
            replaced[id(add)] = [gate, helper.make_node("Mul", [x, gate.output[0]], [div.output[0]],
                                                        name=f"{add.name}/hswish")]
            self._drop([clip, mul, div])
        self.nodes = [m for n in self.nodes for m in replaced.get(id(n), [n])]

    def _hard_swish_chain(self, add):
        xs = [i for i in add.input if i not in self.consts]
        if len(xs) != 1 or self._scalar(add, xs[0]) != 3.0:
            return None
        clip = self._only_user(add.output[0], "Clip")
        if clip is None or len(clip.input) != 3 or not all(i in self.consts for i in clip.input[1:]):
            return None
        if (float(self.consts[clip.input[1]]), float(self.consts[clip.input[2]])) != (0.0, 6.0):
            return None
        mul = self._only_user(clip.output[0], "Mul")
        if mul is None or xs[0] not in mul.input:
            return None
        div = self._only_user(mul.output[0], "Div")
        if div is None or div.input[0] != mul.output[0] or self._scalar(div, mul.output[0]) != 6.0:
            return None
        return xs[0], clip, mul, div

    def _store(self) -> None:
        from onnx import numpy_helper

        used = {i for n in self.nodes for i in n.input}
        del self.g.node[:]
        self.g.node.extend(self.nodes)
        del self.g.initializer[:]
        self.g.initializer.extend(numpy_helper.from_array(v, k) for k, v in self.consts.items() if k in used)

