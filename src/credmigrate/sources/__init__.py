"""What gets scanned: the working tree, the staged index, the whole history, a since-REV diff.

Takes a repository (or a directory) and a Config; gives ScanResults (findings.model) built by
running detect over each file or blob once. ``git/`` is the only code that talks to git:
the gitpython adapter, the cat-file batch reader and the parsers of git output.
"""
