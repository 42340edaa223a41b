"""Soak test: 1,000 small cells in one kernel; every result checked, resident memory bounded, kernel still answers.

    JUPYTER_PATH=build/jupyter /usr/bin/python3 environment/kernel/tests/soak.py [cells] [max_rss_mib]

Every tenth cell declares a variable, the others compute with the latest one and show the value, so JShell's state
grows the way a long notebook session does (a notebook declares tens of names, not thousands: each declaration is
imported into every later snippet, so thousands of them would measure JShell's compile time, not the kernel).
The bound: resident memory of the kernel process at the end stays under MAX_RSS_MIB (default 768 MiB) and grows
by less than MAX_GROWTH_MIB (192 MiB) between cell 100 and the last cell. Measured on a 2-core VM: about 250 MiB,
growing about 0.1 MiB per cell: JShell keeps every snippet (class and value) for the session; the kernelspec's serial GC keeps the heap near the live set.
"""
import sys
import time

from jupyter_client.manager import start_new_kernel

CELLS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
MAX_RSS_MIB = int(sys.argv[2]) if len(sys.argv) > 2 else 768
MAX_GROWTH_MIB = 192


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def result_of(kc, code):
    msg_id = kc.execute(code)
    value = None
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            value = msg["content"]["data"]["text/plain"]
        elif msg["msg_type"] == "error":
            raise AssertionError(f"cell {code!r} failed: {msg['content']['evalue']}")
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return value


def main():
    km, kc = start_new_kernel(kernel_name="java")
    pid = km.provisioner.process.pid if getattr(km, "provisioner", None) else km.kernel.pid
    try:
        started = time.time()
        marks = {}
        last = 0
        phase_started, phases = time.time(), []
        for i in range(1, CELLS + 1):
            if i % 10 == 1:
                last = i
                code, expected = f"long v{i} = {i}L * 3; v{i}", str(i * 3)
            else:
                code, expected = f"v{last} + {i}", str(last * 3 + i)
            got = result_of(kc, code)
            if got != expected:
                raise AssertionError(f"cell {i} ({code}): expected {expected}, got {got}")
            if i in (100, CELLS // 2, CELLS):
                marks[i] = rss_mib(pid)
            if i % (CELLS // 4) == 0:
                phases.append(1000 * (time.time() - phase_started) / (CELLS // 4))
                phase_started = time.time()
        seconds = time.time() - started
        kc.kernel_info()
        reply = kc.get_shell_msg(timeout=30)
        assert reply["content"]["status"] == "ok", reply["content"]
        assert result_of(kc, "v1 + v%d" % last) == str(3 + last * 3), "state lost"
        growth = marks[CELLS] - marks[100]
        summary = ", ".join(f"after {k}: {v:.0f} MiB" for k, v in sorted(marks.items()))
        print(f"soak: {CELLS} cells in {seconds:.0f} s (ms/cell by quarter: {', '.join(f'{p:.0f}' for p in phases)});"
              f" RSS {summary};"
              f" growth {growth:.0f} MiB (limits: {MAX_RSS_MIB} MiB, growth {MAX_GROWTH_MIB} MiB)")
        if marks[CELLS] > MAX_RSS_MIB or growth > MAX_GROWTH_MIB:
            print("FAIL soak: resident memory above its bound")
            sys.exit(1)
        print("ok   soak")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
