"""The shipped model's graph, as onnxruntime's CPU provider runs it fastest.

    python scripts/model_graph.py knowledge/model/minilm-l6-v2-int8.onnx

rewrites the model in place and its folder's manifest.sha256. scripts/export_model.py does
the same as its last step. Needs the `onnx` package (not a dependency of career-chat).

onnxruntime's graph optimiser fuses each encoder layer's last residual add and layer norm
into one SkipLayerNormalization node. On this project's machine (onnxruntime 1.32, AVX-512)
that node took 17% of encoding an article, where the plain Add and LayerNormalization it
replaces take about 2%: with them, a thousand generated articles encode in 0.85 of the time.
The layer norm's sums are taken in another order, so vectors move by up to 0.02 (every
question set's figures within one question, measured; see docs/scale.md).

Its quantised weights are stored unsigned (uint8, zero point moved by 128). With signed
weights, onnxruntime multiplies uint8 activations by int8 weights on x86 with an instruction
that adds neighbouring products in 16 bits and clips the sum (255 x 127 x 2 is past
32,767) on every CPU without VNNI: on such a machine the same text's vectors lay up to
0.035 from the exact products, and the models fitted where the products were exact
answered worse there. Unsigned weights take the uint8 x uint8 kernels, which sum exactly on
every CPU. onnxruntime does the same rewrite itself when a
session asks for `session.x64quantprecision` with the graph optimiser on; the shipped graph
is already optimised and the engine turns the optimiser off, so it is done here, once.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

MANIFEST = "manifest.sha256"


def unfuse_skip_layer_norms(source: Path, target: Path) -> int:
    """`source` with each SkipLayerNormalization (input, skip, gamma, beta) written as Add
    then LayerNormalization, saved at `target`; how many were replaced."""
    import onnx
    from onnx import helper

    model = onnx.load(str(source))
    nodes, replaced = [], 0
    for node in model.graph.node:
        if node.op_type != "SkipLayerNormalization":
            nodes.append(node)
            continue
        if len(node.input) != 4 or len(node.output) != 1:
            raise ValueError(f"{node.name}: a bias or extra outputs, not handled")
        value, skip, gamma, beta = node.input
        epsilon = next(a.f for a in node.attribute if a.name == "epsilon")
        summed = f"{node.name}_sum"
        nodes.append(helper.make_node("Add", [value, skip], [summed], name=f"{node.name}_add"))
        nodes.append(
            helper.make_node(
                "LayerNormalization", [summed, gamma, beta], list(node.output), name=f"{node.name}_norm", axis=-1, epsilon=epsilon, stash_type=1
            )
        )
        replaced += 1
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    onnx.save(model, str(target))
    return replaced


# Quantised matrix products and their weight (B) and weight zero point inputs.
_QUANTISED = {"DynamicQuantizeMatMul": (1, 3), "MatMulIntegerToFloat": (1, 5), "MatMulInteger": (1, 3)}
# Every integer product onnxruntime may run: after the rewrite none may take int8 weights.
_INTEGER_PRODUCTS = {*_QUANTISED, "QAttention", "QGemm", "QLinearMatMul", "QLinearConv", "ConvInteger", "DynamicQuantizeLSTM"}


def unsigned_weights(source: Path, target: Path) -> int:
    """`source` with each quantised product's int8 weights and weight zero point stored as
    uint8 (both moved by 128, so every product is the same), saved at `target`; how many
    products were rewritten."""
    import numpy as np
    import onnx
    from onnx import TensorProto, numpy_helper

    model = onnx.load(str(source))
    initializers = {i.name: i for i in model.graph.initializer}
    users = Counter(name for node in model.graph.node for name in node.input)
    rewritten = 0
    for node in model.graph.node:
        if node.op_type not in _QUANTISED:
            continue
        weight, zero_point = (node.input[i] if i < len(node.input) else "" for i in _QUANTISED[node.op_type])
        if weight not in initializers or initializers[weight].data_type != TensorProto.INT8:
            continue
        if zero_point not in initializers or initializers[zero_point].data_type != TensorProto.INT8:
            raise ValueError(f"{node.name}: int8 weights without an int8 zero point, not handled")
        for name in (weight, zero_point):
            if users[name] != 1:
                raise ValueError(f"{name}: shared by {users[name]} nodes, not handled")
            values = numpy_helper.to_array(initializers[name]).astype(np.int16) + 128
            initializers[name].CopyFrom(numpy_helper.from_array(values.astype(np.uint8), name))
        rewritten += 1
    int8 = {name for name, tensor in initializers.items() if tensor.data_type == TensorProto.INT8}
    int8 |= {
        node.output[0]
        for node in model.graph.node
        if node.op_type == "Constant" and any(a.name == "value" and a.t.data_type == TensorProto.INT8 for a in node.attribute)
    }
    signed = [f"{node.op_type} {name}" for node in model.graph.node if node.op_type in _INTEGER_PRODUCTS for name in node.input if name in int8]
    if signed:
        raise ValueError(f"int8 weights left that this rewrite does not handle: {', '.join(signed)}")
    onnx.save(model, str(target))
    return rewritten


def write_manifest(folder: Path, names: list[str]) -> None:
    """manifest.sha256: one `<sha256>  <name>` line a file (sha256sum's format). The model
    and its vocabulary are checked together: a vocabulary that is not the model's own gives
    ids the model does not have, or the wrong ones."""
    lines = [f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n" for name in names]
    (folder / MANIFEST).write_text("".join(lines))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python scripts/model_graph.py MODEL.onnx", file=sys.stderr)
        return 2
    model = Path(argv[0])
    replaced = unfuse_skip_layer_norms(model, model)
    unsigned = unsigned_weights(model, model)
    names = [line.split()[1] for line in (model.parent / MANIFEST).read_text().splitlines()]
    write_manifest(model.parent, names)
    print(f"{model}: {replaced} SkipLayerNormalization nodes written as Add and LayerNormalization, {unsigned} products' weights made unsigned")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
