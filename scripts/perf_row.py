"""Formats one `adenv perf --json` result (on standard input) as a Markdown table row."""
import json
import sys

r = json.load(sys.stdin)


def rate(x):
    return f"{int(x):,}"


print(
    f"| {r['env']} | {rate(r['single_steps_per_second'])} | {rate(r['vector_1_thread_steps_per_second'])} | "
    f"{rate(r['vector_steps_per_second'])} | {r['speedup_vs_vector_1_thread']:.2f}x | {r['speedup_vs_single']:.2f}x |"
)
