#!/usr/bin/env python3
"""Wire throughput of the Python client, in one run on this machine. Prints a markdown table.

1. raw pyzmq: a DEALER client in this process and a minimal ROUTER echo server in a separate
   process exchange messages with exactly the frames of a single-env AdMarket-v0 STEP (request:
   delimiter, 24-byte header, one int64 action; reply: delimiter, header, 49 float32 observations,
   reward, two flags, 11 float64 infos, 7 mask bytes). The physical limit of the transport from Python.
2. ``adenv.AdEnv`` stepping one AdMarket-v0 env in lockstep against ``adenv serve`` (goal: at least
   80% of 1.). The policy is the always-valid exchange action, so the figure is the client's and
   the server's cost, not a policy's; episodes reset when they end.
3. ``adenv.AdVectorEnv`` with 256 envs per message on AdMarket-v0 (goal: at least 500,000
   env-steps/s), random valid actions drawn with numpy from the masks every step
   (``sample_valid_actions``), for 1 and 2 server threads.

    ADENV_BINARY=.build/release/adenv python Benchmarks/wire/measure_wire.py [--seconds 3]

Needs the adenv package (``pip install ./clients/python`` or PYTHONPATH=clients/python) and a release
``adenv`` binary (found as ``adenv.find_binary`` does).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import zmq

import adenv
from adenv import protocol

ENV = "AdMarket-v0"


def step_frames(spec):
    """Frame sizes of a single-env STEP request and reply for ``spec`` (the OPEN reply)."""
    o, f, m, a = spec["observation_count"], len(spec["info_fields"]), spec["mask_width"], spec["action_count"]
    header = protocol.pack_header(protocol.MessageType.STEP, session=1, seq=1)
    request = [b"", header, bytes(8 * a)]
    reply = [b"", header, bytes(4 * o), bytes(8), bytes(1), bytes(1), bytes(8 * f), bytes(m)]
    return request, reply


def echo_server(endpoint_queue, reply_frames):
    """A ROUTER that answers every request with ``reply_frames`` (after the identity)."""
    context = zmq.Context()
    socket = context.socket(zmq.ROUTER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.bind("tcp://127.0.0.1:*")
    endpoint_queue.put(socket.getsockopt_string(zmq.LAST_ENDPOINT))
    recv, send = socket.recv_multipart, socket.send_multipart
    while True:
        frames = recv()
        if frames[-1] == b"STOP":
            break
        send([frames[0], *reply_frames])
    socket.close(linger=0)
    context.term()


def measure(loop, seconds):
    """Calls ``loop(k)`` (k iterations) in growing batches for about ``seconds``; returns iterations/s."""
    loop(100)  # warm up
    done, k = 0, 200
    start = time.perf_counter()
    while True:
        loop(k)
        done += k
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed
        k = min(k * 2, 5_000)


class Echo:
    """The raw pyzmq pair: a DEALER here, the echo ROUTER in a separate (spawned) process."""

    def __init__(self, request, reply):
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        self.process = context.Process(target=echo_server, args=(queue, reply[1:]), daemon=True)
        self.process.start()
        endpoint = queue.get(timeout=30)
        self.socket = zmq.Context.instance().socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.connect(endpoint)
        self.request = request

    def loop(self, k):
        send, recv, request = self.socket.send_multipart, self.socket.recv_multipart, self.request
        for _ in range(k):
            send(request)
            recv()

    def close(self):
        self.socket.send_multipart([b"", b"STOP"])
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
        self.socket.close(linger=0)


class Lockstep:
    """One AdEnv stepped with the always-valid exchange action; resets when an episode ends."""

    def __init__(self, address):
        self.env = adenv.AdEnv(ENV, address=address)
        self.action = int(self.env.action_space.n) - 1
        self.env.reset(seed=0)

    def loop(self, k):
        step, reset, action = self.env.step, self.env.reset, self.action
        for _ in range(k):
            _, _, terminated, truncated, _ = step(action)
            if terminated or truncated:
                reset()

    def close(self):
        self.env.close()


class Batched:
    """An AdVectorEnv stepped with random valid actions drawn from the masks every step."""

    def __init__(self, address, num_envs, threads):
        self.envs = adenv.AdVectorEnv(ENV, num_envs, address=address, threads=threads)
        self.envs.reset(seed=0)
        self.rng = np.random.default_rng(0)

    def loop(self, k):
        step, sample, rng = self.envs.step, self.envs.sample_valid_actions, self.rng
        for _ in range(k):
            step(sample(rng))

    def close(self):
        self.envs.close()


def provenance():
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except OSError:
        commit = "?"
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"commit {commit or '?'}, {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"pyzmq {zmq.__version__} (libzmq {zmq.zmq_version()}), numpy {np.__version__}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="seconds per configuration and round (default 1)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the median is reported (default 5)")
    parser.add_argument("--num-envs", type=int, default=256)
    args = parser.parse_args()

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with adenv.LocalServer() as server:
        probe = adenv.Session(adenv.Connection(server.address), ENV)
        spec = {"observation_count": probe.observation_count, "info_fields": probe.info_fields,
                "mask_width": probe.mask_width, "action_count": probe.action_count}
        probe.close()
        probe.connection.close()
        request, reply = step_frames(spec)
        sizes = f"request {sum(map(len, request))} B in {len(request)} frames, reply {sum(map(len, reply))} B in {len(reply)} frames"

        runners = {
            "raw": Echo(request, reply),
            "lockstep": Lockstep(server.address),
            "batched1": Batched(server.address, args.num_envs, 1),
            "batched2": Batched(server.address, args.num_envs, 2),
        }
        # Interleaved rounds, median per configuration: the machine is shared and its load varies,
        # so each configuration sees the same mix of quiet and busy moments.
        rates = {name: [] for name in runners}
        try:
            for _ in range(args.rounds):
                for name, runner in runners.items():
                    rates[name].append(measure(runner.loop, args.seconds))
        finally:
            for runner in runners.values():
                runner.close()
        median = {name: statistics.median(values) for name, values in rates.items()}
        raw, single = median["raw"], median["lockstep"]
        rows = [
            ("raw pyzmq DEALER<->ROUTER echo (separate process), single-env STEP sizes", raw, raw, "1.00x of raw", "physical limit"),
            ("AdEnv lockstep, 1 env (AdMarket-v0)", single, single, f"{single / raw:.2f}x of raw",
             "met" if single >= 0.8 * raw else "not met"),
        ]
        for threads in (1, 2):
            messages = median[f"batched{threads}"]
            env_steps = messages * args.num_envs
            rows.append((f"AdVectorEnv {args.num_envs} envs/message, {threads} server thread{'s' if threads > 1 else ''} "
                         f"(AdMarket-v0)", messages, env_steps, f"{env_steps / raw:.1f}x of raw",
                         "met" if env_steps >= 500_000 else "not met"))

    print(f"Measured {time.strftime('%Y-%m-%d')}: {provenance()}; median of {args.rounds} interleaved rounds "
          f"of {args.seconds:g} s per row; load average before: {load_before}; {sizes}.")
    print()
    print("| measurement | messages/s | env-steps/s | ratio | goal |")
    print("|---|---:|---:|---:|---|")
    goals = {1: "≥ 80% of raw", 2: "≥ 500,000 env-steps/s", 3: "≥ 500,000 env-steps/s"}
    for i, (name, messages, env_steps, ratio, verdict) in enumerate(rows):
        goal = f"{goals[i]}: {verdict}" if i in goals else verdict
        print(f"| {name} | {messages:,.0f} | {env_steps:,.0f} | {ratio} | {goal} |")


if __name__ == "__main__":
    main()
