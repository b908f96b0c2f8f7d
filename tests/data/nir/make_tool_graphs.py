"""Write small NIR files laid out the way snnTorch, Norse and Spyx export networks (run with the 3.11 venv).

The layouts follow each tool's exporter (read in their public source):

- snnTorch 0.9 ``snntorch/export_nir.py``: ``nn.Linear`` -> ``Affine``/``Linear``; ``Synaptic`` ->
  ``CubaLIF(tau_syn = dt/(1 - alpha), tau_mem = dt/(1 - beta), r = tau_mem/dt, v_leak = 0, w_in = tau_syn/dt)``
  with the constant ``dt = 1e-4``; ``RSynaptic`` -> a nested graph ``input -> lif <-> w_rec, lif -> output``.
- Norse ``norse/torch/utils/export_nir.py``: ``LIFCell`` -> ``CubaLIF(tau_mem = 1/tau_mem_inv,
  tau_syn = 1/tau_syn_inv, r = 1, w_in = 1)`` with v_leak, v_th, v_reset from its parameters (defaults
  tau_mem_inv = 100, tau_syn_inv = 200, v_th = 1); ``nn.Linear`` -> ``Linear``/``Affine``.
- Spyx ``spyx/nir.py`` ``to_nir``: ``linear*`` -> ``Linear`` holding haiku's ``(in, out)`` weights;
  ``CuBaLIF*`` -> ``CubaLIF(tau_mem = dt/(1 - beta), tau_syn = dt/(1 - alpha), r = beta, v_threshold = 1,
  v_leak = 0)``; nodes chained ``input -> ... -> output``.

The weights are small fixed numbers so the tests can check what was read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
W1 = np.array([[0.5, -0.25, 1.0], [0.0, 0.75, -0.5], [1.25, 0.25, 0.0], [-0.5, 0.5, 0.5]])
B1 = np.array([0.0, 0.1, -0.1, 0.05])
W2 = np.array([[0.5, 0.5, -0.5, 1.0], [1.0, -0.25, 0.25, 0.0]])
W_REC = np.array([[-0.5, 0.25], [0.25, -0.5]])


def snntorch_graph():
    import nir

    dt, alpha, beta = 1e-4, 0.9, 0.8

    def synaptic(n):
        tau_syn = np.full(n, dt / (1 - alpha))
        tau_mem = np.full(n, dt / (1 - beta))
        return nir.CubaLIF(tau_syn=tau_syn, tau_mem=tau_mem, r=tau_mem / dt, v_leak=np.zeros(n),
                           v_threshold=np.ones(n), w_in=tau_syn / dt)

    rsyn = nir.NIRGraph(nodes={"input": nir.Input(np.array([2])), "lif": synaptic(2),
                               "w_rec": nir.Linear(weight=W_REC.astype(np.float32)),
                               "output": nir.Output(np.array([2]))},
                        edges=[("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")])
    return nir.NIRGraph(
        nodes={"input": nir.Input(np.array([3])), "fc1": nir.Affine(weight=W1.astype(np.float32),
                                                                      bias=B1.astype(np.float32)),
               "lif1": synaptic(4), "fc2": nir.Linear(weight=W2.astype(np.float32)), "rlif2": rsyn,
               "output": nir.Output(np.array([2]))},
        edges=[("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "rlif2"), ("rlif2", "output")])


def norse_graph():
    import nir

    def lif_cell(n):
        return nir.CubaLIF(tau_mem=np.full(n, 1 / 100.0), tau_syn=np.full(n, 1 / 200.0), v_reset=np.zeros(n),
                           v_threshold=np.ones(n), v_leak=np.zeros(n), r=np.ones(n), w_in=np.ones(n))

    return nir.NIRGraph(
        nodes={"input": nir.Input(np.array([3])), "0": nir.Linear(W1), "1": lif_cell(4), "2": nir.Linear(W2),
               "3": lif_cell(2), "output": nir.Output(np.array([2]))},
        edges=[("input", "0"), ("0", "1"), ("1", "2"), ("2", "3"), ("3", "output")])


def spyx_graph():
    import nir

    dt, alpha, beta = 1e-3, 0.85, 0.9

    def cuba(n):
        b = np.full(n, beta)
        return nir.CubaLIF(tau_mem=dt / (1 - b), tau_syn=dt / (1 - np.full(n, alpha)), v_threshold=np.ones(n),
                           v_leak=np.zeros(n), r=b)

    return nir.NIRGraph(
        nodes={"input": nir.Input(np.array([3])), "output": nir.Output(np.array([2])),
               "linear": nir.Linear(W1.T.copy()), "CuBaLIF": cuba(4), "linear_1": nir.Linear(W2.T.copy()),
               "CuBaLIF_1": cuba(2)},
        edges=[("input", "linear"), ("linear", "CuBaLIF"), ("CuBaLIF", "linear_1"), ("linear_1", "CuBaLIF_1"),
               ("CuBaLIF_1", "output")], type_check=False)  # (in, out) weights fail nir 1.0.8's type check


def main() -> None:
    import nir

    for name, make in (("snntorch", snntorch_graph), ("norse", norse_graph), ("spyx", spyx_graph)):
        nir.write(HERE / f"{name}_style.nir", make())


if __name__ == "__main__":
    main()
