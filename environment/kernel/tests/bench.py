"""Kernel benchmark (a measurement, never a pass/fail test).

    JUPYTER_PATH=build/jupyter /usr/bin/python3 environment/kernel/tests/bench.py [starts] [cells]

Measures, as the README's Performance table reports them:
  start    from launching the kernel process to its kernel_info reply
  first    the first `1 + 1` result after that reply
  trivial  median round trip of `1 + 1` (execute_request sent to idle status received), after 5 warm-up cells
Targets from issue 3: <= 2 s, <= 1 s, <= 20 ms.
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

STARTS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
CELLS = int(sys.argv[2]) if len(sys.argv) > 2 else 100


def run(kc, code):
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                and msg["content"]["execution_state"] == "idle":
            return


def one_start():
    km = KernelManager(kernel_name="java")
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    while True:  # ask until the kernel answers (its sockets may not be bound yet)
        kc.kernel_info()
        try:
            kc.get_shell_msg(timeout=0.2)
            break
        except Exception:
            continue
    t_info = time.perf_counter()
    run(kc, "1 + 1")
    t_first = time.perf_counter()
    return km, kc, t_info - t0, t_first - t_info


def main():
    starts, firsts = [], []
    kc = km = None
    for i in range(STARTS):
        km, kc, s, f = one_start()
        starts.append(s)
        firsts.append(f)
        if i < STARTS - 1:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    for _ in range(5):
        run(kc, "1 + 1")
    trips = []
    for _ in range(CELLS):
        t = time.perf_counter()
        run(kc, "1 + 1")
        trips.append(time.perf_counter() - t)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    print(f"start -> kernel_info reply : median {statistics.median(starts):.2f} s  (runs: {', '.join(f'{x:.2f}' for x in starts)})")
    print(f"first 1 + 1 after that     : median {statistics.median(firsts):.2f} s  (runs: {', '.join(f'{x:.2f}' for x in firsts)})")
    print(f"trivial cell round trip    : median {1000 * statistics.median(trips):.1f} ms, p90 "
          f"{1000 * sorted(trips)[int(0.9 * len(trips))]:.1f} ms over {CELLS} cells")
    with open("/proc/loadavg") as f:
        print(f"load average during the run: {f.read().split()[0]} ({__import__('os').cpu_count()} cores)")


if __name__ == "__main__":
    main()
