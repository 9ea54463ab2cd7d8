"""Household roster files (台账): the column layout, reading uploaded .xlsx/.csv files,
checking their rows, and writing the template and the export.

Everything here is free of the ORM except where stated, so the checks can be tested as
tables; ``projects.services.roster`` does the database work.
"""
