#!/usr/bin/env python3
"""Single-thread environment stepping speed of two Python peers of AdEnv.

Measures, in one process and on one thread:

* Gymnasium ``CartPole-v1``, **unwrapped** (``gymnasium.make("CartPole-v1").unwrapped``):
  random actions pre-sampled into a list, ``env.step`` in a tight loop,
  ``env.reset()`` on termination.  One step = one ``env.step`` call.
  (The default wrapped env, with TimeLimit/OrderEnforcing/PassiveEnvChecker,
  is measured too as a secondary figure.)

* RecoGym ``reco-gym-v1`` with its default config (``env_1_args``; only the
  random seed is fixed for reproducibility).  One step = one ``env.step`` call.
  RecoGym interleaves organic sessions and bandit steps, so one ``env.step``
  call is one of two things:

    - after ``env.reset(user_id)`` (a new user), ``env.step(None)`` generates the
      user's first organic session: a run of organic page views, one Markov
      transition each, until the user leaves the organic state;
    - every later ``env.step(action)`` is one bandit step: it draws a click for
      the recommended product, makes one Markov transition and, if the user
      goes (back) to the organic state (always after a click), generates a whole
      organic session of page views inside that same call.

  An episode is one user; it ends when the Markov state becomes ``stop``.  So
  the env.step rate counts bandit steps + one "first" step per user; organic
  page views are counted separately (and reported as events/s = bandit steps
  + organic page views per second).  Two agents are measured: a fixed,
  pre-sampled random action sequence (env cost only; the headline figure) and
  RecoGym's own ``RandomAgent`` (``agent.act`` + ``env.step``).

If RecoGym cannot be imported, that is reported and CartPole is still measured.

Each run also records how many cores other processes kept busy meanwhile
(from /proc/stat); wall-clock figures are summarised over "clean" runs, and
steps per CPU-second of this process are reported alongside.

Usage (see setup.sh for the two virtualenvs):
    python measure_peers.py [--json out.json] [--repeats 3] [--only cartpole]
                            [--cartpole-seconds 2] [--recogym-seconds 5]
                            [--wait-idle 30] [--no-wrapped]
"""

import os

# Single thread everywhere (BLAS/OpenMP/numba); set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
             "NUMEXPR_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import datetime
import json
import platform
import statistics
import sys
import time
import traceback
import warnings

CHUNK = 1000  # steps between clock reads


def _pkg_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


# --------------------------------------------------------------------------
# Gymnasium CartPole-v1
# --------------------------------------------------------------------------

def bench_cartpole(seconds, unwrapped=True, seed=0):
    import gymnasium
    import numpy as np

    env = gymnasium.make("CartPole-v1")
    if unwrapped:
        env = env.unwrapped
    rng = np.random.default_rng(seed)
    n_actions = 1 << 20
    actions = rng.integers(0, 2, size=n_actions).tolist()  # plain Python ints
    env.reset(seed=seed)
    step = env.step
    reset = env.reset

    # warm-up (not timed)
    for i in range(10_000):
        _, _, term, trunc, _ = step(actions[i])
        if term or trunc:
            reset()
    reset()

    steps = 0
    episodes = 0
    i = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    deadline = t0 + seconds
    while True:
        for _ in range(CHUNK):
            _, _, term, trunc, _ = step(actions[i])
            i = (i + 1) & (n_actions - 1)
            if term or trunc:
                reset()
                episodes += 1
        steps += CHUNK
        now = time.perf_counter()
        if now >= deadline:
            break
    elapsed = now - t0
    cpu = time.process_time() - c0
    env.close()
    return {"steps": steps, "episodes": episodes, "seconds": elapsed,
            "cpu_seconds": cpu, "steps_per_s": steps / elapsed,
            "steps_per_cpu_s": steps / cpu}


# --------------------------------------------------------------------------
# RecoGym reco-gym-v1
# --------------------------------------------------------------------------

def _make_recogym(seed):
    import gym
    import recogym  # noqa: F401  (registers reco-gym-v1)
    from recogym import env_1_args

    args = dict(env_1_args)
    args["random_seed"] = seed  # the default is np.random.randint at import
    env = gym.make("reco-gym-v1")
    env.init_gym(args)
    return env, args


def bench_recogym(seconds, agent_kind="fixed", seed=42):
    import numpy as np

    env, args = _make_recogym(seed)
    num_products = args["num_products"]
    raw = getattr(env, "unwrapped", env)
    wrapped = env is not raw

    if agent_kind == "fixed":
        rng = np.random.default_rng(seed)
        n_actions = 1 << 20
        actions = rng.integers(0, num_products, size=n_actions).tolist()
        agent = None
    else:
        from recogym import Configuration
        from recogym.agents import RandomAgent, random_args
        agent = RandomAgent(Configuration({**random_args,
                                           "num_products": num_products,
                                           "random_seed": seed}))
        actions, n_actions = None, 1

    step = env.step
    reset = env.reset

    counters = {"env_step_calls": 0, "first_steps": 0, "bandit_steps": 0,
                "organic_views": 0, "users": 0, "clicks": 0}

    def run(deadline, count):
        # local counters for speed
        calls = first = bandit = views = clicks = 0
        user_id = counters["users"]
        i = 0
        now = time.perf_counter()
        while now < deadline:
            # one user (= one episode), checking the clock once per user
            reset(user_id)
            user_id += 1
            obs, reward, done, _ = step(None)
            calls += 1
            first += 1
            views += len(obs.sessions())
            while not done:
                if agent is None:
                    a = actions[i]
                    i = (i + 1) & (n_actions - 1)
                else:
                    a = agent.act(obs, reward, done)["a"]
                obs, reward, done, _ = step(a)
                calls += 1
                bandit += 1
                views += len(obs.sessions())
                clicks += reward
            now = time.perf_counter()
        if count:
            counters["env_step_calls"] += calls
            counters["first_steps"] += first
            counters["bandit_steps"] += bandit
            counters["organic_views"] += views
            counters["clicks"] += int(clicks)
        counters["users"] = user_id
        return now

    # warm-up: numba JIT of the click model, caches (not timed)
    run(time.perf_counter() + 0.5, count=False)
    users_before = counters["users"]
    c0 = time.process_time()
    t0 = time.perf_counter()
    t1 = run(t0 + seconds, count=True)
    elapsed = t1 - t0
    cpu = time.process_time() - c0
    c = counters
    return {
        "agent": agent_kind,
        "gym_make_wrapped": wrapped,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "env_step_calls": c["env_step_calls"],
        "first_steps": c["first_steps"],
        "bandit_steps": c["bandit_steps"],
        "organic_views": c["organic_views"],
        "users": c["users"] - users_before,
        "clicks": c["clicks"],
        "steps_per_s": c["env_step_calls"] / elapsed,
        "steps_per_cpu_s": c["env_step_calls"] / cpu,
        "bandit_steps_per_s": c["bandit_steps"] / elapsed,
        "events_per_s": (c["bandit_steps"] + c["organic_views"]) / elapsed,
        "users_per_s": (c["users"] - users_before) / elapsed,
    }


# --------------------------------------------------------------------------

def _busy_seconds():
    """(all-CPU busy seconds from /proc/stat, this process's CPU seconds)."""
    import resource
    ru = resource.getrusage(resource.RUSAGE_SELF)
    own = ru.ru_utime + ru.ru_stime
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        busy = (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        busy = None
    return busy, own


NOISY_CORES = 0.2  # a run is "noisy" if other processes kept this busy


def _wait_idle(max_wait):
    """Wait (up to max_wait s) until other processes use < 0.1 core over 1 s."""
    waited = 0.0
    while waited < max_wait:
        b0, _ = _busy_seconds()
        if b0 is None:
            return waited
        time.sleep(1.0)
        b1, _ = _busy_seconds()
        waited += 1.0
        if b1 - b0 < 0.1:
            return waited
    return waited


def _measured(fn, wait_idle, **kw):
    """Run one measurement; add how many cores OTHER processes kept busy."""
    waited = _wait_idle(wait_idle) if wait_idle > 0 else 0.0
    b0, o0 = _busy_seconds()
    w0 = time.perf_counter()
    r = fn(**kw)
    b1, o1 = _busy_seconds()
    wall = time.perf_counter() - w0
    r["waited_for_idle_s"] = waited
    if b0 is not None:
        r["other_cpu_cores"] = round(max(0.0, (b1 - b0) - (o1 - o0)) / wall, 2)
    return r


def _repeat(fn, repeats, wait_idle, **kw):
    runs = [_measured(fn, wait_idle, **kw) for _ in range(repeats)]
    clean = [r for r in runs if r.get("other_cpu_cores", 0.0) <= NOISY_CORES]
    use = clean or runs
    rates = [r["steps_per_s"] for r in use]
    return {"median_steps_per_s": statistics.median(rates),
            "max_steps_per_s": max(rates),
            "min_steps_per_s": min(rates),
            "median_steps_per_cpu_s": statistics.median(
                r["steps_per_cpu_s"] for r in runs),
            "clean_runs": len(clean),
            "summary_over": "clean runs" if clean else "all runs (none clean)",
            "runs": runs}


class _Skip(Exception):
    pass


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--json", help="write results as JSON to this path")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--cartpole-seconds", type=float, default=2.0)
    p.add_argument("--recogym-seconds", type=float, default=5.0)
    p.add_argument("--only", choices=("cartpole", "recogym"),
                   help="measure just one of the two peers")
    p.add_argument("--wait-idle", type=float, default=30.0, metavar="S",
                   help="before each run, wait up to S seconds for the "
                        "machine to be idle (0: don't wait)")
    p.add_argument("--no-wrapped", action="store_true",
                   help="skip the secondary wrapped-CartPole figure")
    a = p.parse_args(argv)

    warnings.filterwarnings("ignore")
    result = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc)
                    .isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "threads": "1 (OMP/OPENBLAS/MKL/NUMBA_NUM_THREADS=1, one Python thread)",
        "repeats": a.repeats,
        "packages": {n: _pkg_version(n) for n in (
            "gymnasium", "numpy", "recogym", "gym", "scipy", "numba",
            "pandas", "torch", "scikit-learn", "matplotlib")},
        "step_definitions": {
            "cartpole": "one env.step call on the unwrapped env (reset on "
                        "termination, not counted as a step)",
            "recogym": "one env.step call: either the per-user env.step(None) "
                       "that yields the first organic session, or one bandit "
                       "step env.step(action) (click draw + Markov transition "
                       "+ any organic session that follows, generated inside "
                       "the same call)",
        },
        "benchmarks": {},
        "errors": {},
    }
    bm = result["benchmarks"]

    # CartPole ---------------------------------------------------------------
    try:
        if a.only == "recogym":
            raise _Skip
        bm["cartpole_v1_unwrapped"] = _repeat(
            bench_cartpole, a.repeats, a.wait_idle, seconds=a.cartpole_seconds,
            unwrapped=True)
        if not a.no_wrapped:
            bm["cartpole_v1_wrapped"] = _repeat(
                bench_cartpole, a.repeats, a.wait_idle,
                seconds=a.cartpole_seconds, unwrapped=False)
    except _Skip:
        pass
    except Exception as e:  # gymnasium missing or broken
        result["errors"]["cartpole"] = f"{type(e).__name__}: {e}"

    # RecoGym ----------------------------------------------------------------
    recogym_ok = a.only != "cartpole"
    try:
        if not recogym_ok:
            raise _Skip
        t = time.perf_counter()
        import recogym  # noqa: F401
        result["recogym_import_seconds"] = time.perf_counter() - t
    except _Skip:
        pass
    except Exception as e:  # ImportError, or old-API breakage at import
        recogym_ok = False
        result["errors"]["recogym"] = (
            f"recogym not importable: {type(e).__name__}: {e} "
            "(run setup.sh for the pinned environment)")
        tb = traceback.format_exc(limit=3)
        result["errors"]["recogym_traceback"] = tb
    if recogym_ok:
        for kind, name in (("fixed", "recogym_v1_fixed_actions"),
                           ("random_agent", "recogym_v1_random_agent")):
            try:
                bm[name] = _repeat(bench_recogym, a.repeats, a.wait_idle,
                                   seconds=a.recogym_seconds, agent_kind=kind)
            except Exception as e:
                result["errors"][name] = f"{type(e).__name__}: {e}"

    # Table ------------------------------------------------------------------
    print(f"# peers stepping speed, single thread, {result['date_utc']}")
    print(f"# Python {result['python']} on {result['cpu']} "
          f"({result['cpu_count']} cores); {a.repeats} runs per benchmark")
    print("# " + ", ".join(f"{k} {v}" for k, v in result["packages"].items()
                           if v is not None))
    print("# steps/s: wall clock, median/min/max over clean runs (other "
          f"processes < {NOISY_CORES} core); steps/cpu-s: median over all runs")
    hdr = (f"{'benchmark':<26} {'steps/s':>9} {'min':>9} {'max':>9}"
           f" {'steps/cpu-s':>11} {'clean':>5}  notes")
    print(hdr)
    print("-" * len(hdr))
    noisy = []
    for name, r in bm.items():
        notes = ""
        if name.startswith("recogym"):
            runs = r["runs"]
            tot_s = sum(x["seconds"] for x in runs)
            bandit = sum(x["bandit_steps"] for x in runs) / tot_s
            events = sum(x["bandit_steps"] + x["organic_views"]
                         for x in runs) / tot_s
            users = sum(x["users"] for x in runs) / tot_s
            notes = (f"all runs: bandit steps/s {bandit:,.0f}, "
                     f"events/s {events:,.0f}, users/s {users:,.0f}")
        if r["clean_runs"] == 0:
            noisy.append(name)
        print(f"{name:<26} {r['median_steps_per_s']:>9,.0f}"
              f" {r['min_steps_per_s']:>9,.0f} {r['max_steps_per_s']:>9,.0f}"
              f" {r['median_steps_per_cpu_s']:>11,.0f}"
              f" {r['clean_runs']:>2}/{len(r['runs'])}  {notes}")
    if noisy:
        print("WARNING: no clean run for " + ", ".join(noisy) + ": other "
              "processes used CPU meanwhile; wall-clock figures may be low "
              "(steps/cpu-s is less affected). Re-run on an idle machine.")
    result["noisy"] = noisy
    for k, v in result["errors"].items():
        if not k.endswith("_traceback"):
            print(f"ERROR {k}: {v}")

    if a.json:
        d = os.path.dirname(os.path.abspath(a.json))
        os.makedirs(d, exist_ok=True)
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)
        print(f"# JSON written to {a.json}")
    return 0 if "cartpole" not in result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
