"""The lists' downloads: CSV and .xlsx of the inspection list and of the results list.

(Not "export": in QualityHub that word is Coupa's exported flag, `qualityhub.exporting`.)
"""
