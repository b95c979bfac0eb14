#!/usr/bin/env python3
"""A random agent on an AdEnv scenario, through the Gymnasium API.

    python Examples/python/random_agent.py                        # starts a local server itself
    python Examples/python/random_agent.py --address tcp://127.0.0.1:5555 --env SlateRanking-v0

It samples uniformly among the actions valid in each state (``info["action_mask"]`` where the env
has one) and prints each episode's return next to the scenario oracle's on the same seed.
Needs ``pip install ./clients/python`` (or PYTHONPATH=clients/python) and an ``adenv`` binary.
"""

import argparse

import gymnasium as gym

import adenv  # registers the adenv/<ID> environments


def run_episode(env, seed, policy):
    obs, info = env.reset(seed=seed)
    total, steps, done = 0.0, 0, False
    while not done:
        if policy == "oracle":
            action = env.unwrapped.oracle_action()
        elif "action_mask" in info:
            action = env.action_space.sample(mask=info["action_mask"])
        else:
            action = env.action_space.sample()
        obs, reward, terminated, truncated, info = env.step(action)
        total += reward
        steps += 1
        done = terminated or truncated
    return total, steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--env", default="AdMarket-v0", help="scenario ID (default AdMarket-v0)")
    parser.add_argument("--address", default=None, help="server endpoint; default: start a local server")
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--max-episode-steps", type=int, default=None, help="override the scenario's episode length")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    overrides = {"max_episode_steps": args.max_episode_steps} if args.max_episode_steps else None
    env = gym.make(f"adenv/{args.env}", address=args.address, overrides=overrides)
    env.action_space.seed(args.seed)
    obs_space = env.observation_space
    print(f"{args.env}: observation {obs_space.shape} {obs_space.dtype}, action {env.action_space}")
    try:
        for episode in range(args.episodes):
            seed = args.seed + episode
            random_return, steps = run_episode(env, seed, "random")
            oracle_return, _ = run_episode(env, seed, "oracle")
            print(f"episode {episode} (seed {seed}): {steps} steps, random return {random_return:.3f}, "
                  f"oracle return {oracle_return:.3f}")
    finally:
        env.close()


if __name__ == "__main__":
    main()
