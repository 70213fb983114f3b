"""Talking to git: the gitpython adapter (repo), the cat-file batch reader and output parsers.

Takes a repository path; gives commits, trees, blobs and diffs as plain values.
"""
