#!/usr/bin/env python3
# Runs a command on a pseudo-terminal, as a person at a terminal would: waits
# for each expected prompt text, then types the answer and Enter. Not timed:
# it answers only once the prompt has appeared. Prints everything the terminal
# showed; exits with the command's exit code.
#   pty-run.py ANSWERS_JSON -- COMMAND ARGS...
# ANSWERS_JSON: [["text to wait for", "answer"], ...]
import json, os, pty, sys

def main():
    answers = json.loads(sys.argv[1])
    cmd = sys.argv[sys.argv.index('--') + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b''
    pending = [(w.encode(), a.encode()) for w, a in answers]
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if pending and pending[0][0] in seen:
            wait, answer = pending.pop(0)
            # Only text after this prompt can satisfy the next one.
            sys.stdout.buffer.write(seen)
            seen = b''
            os.write(fd, answer + b'\r')
    sys.stdout.buffer.write(seen)
    sys.stdout.flush()
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))

main()
