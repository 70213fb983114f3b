"""The command line: click commands only (scan, migrate, rules, demo) over the stages below.

Takes argv, builds a Config, calls one core function per command, renders its result and returns
an exit code; ``main.py`` holds the group and the error boundary that turns any failure into one
line and a documented exit code.
"""
