#!/usr/bin/env bash
# Create the Python virtualenv for measure_peers.py, OUTSIDE the repo.
#   bash Benchmarks/peers/setup.sh [VENV_DIR] [VENV_GYM_DIR]
#     VENV_DIR      default /tmp/peers-venv            RecoGym + Gymnasium, old pins
#     VENV_GYM_DIR  default /tmp/peers-venv-gymnasium  Gymnasium only, current numpy
# Needs python3 (tested with 3.11.7) and PyPI access only.
#
# Two venvs because RecoGym needs numpy 1.x, and Gymnasium's CartPole steps
# ~20-30% faster under numpy 2.4 than under numpy 1.26 on this machine, so the
# fair CartPole figure comes from the second, current venv.
#
# Why the pins:
# * recogym 0.1.3.0 (last release) declares tensorflow, torch, jupyter, ... as
#   dependencies, and unpinned they resolve to gym 0.26 / numpy 2 / scipy 1.17,
#   under which it does not import (it does `from scipy import rand`, removed
#   in SciPy 1.12). `import recogym` really needs only: gym, numpy, scipy,
#   pandas, numba, tqdm, matplotlib, scikit-learn, torch (tensorflow, jupyter,
#   absl-py, simplegeneric, datetime are never imported). So recogym is
#   installed with --no-deps, next to exactly those, pinned.
# * gym 0.17.3: gym.make("reco-gym-v1") returns the bare RecoEnv1 (no
#   wrappers); gym 0.26's env checker rejects RecoGym's old 4-tuple API.
# * torch CPU-only build (2.13.0+cpu, on PyPI) avoids ~3 GB of CUDA wheels;
#   RecoGym only imports it for its neural agents.
set -euo pipefail
VENV="${1:-/tmp/peers-venv}"
VENV_GYM="${2:-/tmp/peers-venv-gymnasium}"
PY="${PYTHON:-python3}"

"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q \
  "gymnasium==1.4.0" \
  "numpy==1.26.4" "scipy==1.11.4" "pandas==2.2.3" \
  "numba==0.60.0" "llvmlite==0.43.0" \
  "matplotlib==3.9.2" "scikit-learn==1.5.2" "tqdm==4.70.1" \
  "gym==0.17.3" "cloudpickle==1.6.0" \
  "torch==2.13.0+cpu"
"$VENV/bin/python" -m pip install -q --no-deps "recogym==0.1.3.0"
"$VENV/bin/python" -c "import gymnasium, gym, recogym; print('ok: gymnasium', gymnasium.__version__, 'gym', gym.__version__, 'recogym imports')"

"$PY" -m venv "$VENV_GYM"
"$VENV_GYM/bin/python" -m pip install -q --upgrade pip
"$VENV_GYM/bin/python" -m pip install -q "gymnasium==1.4.0" "numpy==2.4.6"
"$VENV_GYM/bin/python" -c "import gymnasium, numpy; print('ok: gymnasium', gymnasium.__version__, 'numpy', numpy.__version__)"

here="$(cd "$(dirname "$0")" && pwd)"
echo "run:"
echo "  $VENV/bin/python $here/measure_peers.py --json /tmp/peers-recogym.json"
echo "  $VENV_GYM/bin/python $here/measure_peers.py --only cartpole --json /tmp/peers-gymnasium.json"
