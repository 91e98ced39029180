"""Documents duban writes for people to keep and pass on (spreadsheets now, later Word).

Pure modules: no Django imports, so they are fast to test and usable from the command line.
Their strings are marked with ``N_`` and translated by the caller.
"""
