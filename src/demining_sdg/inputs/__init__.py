"""Reading the input tables: the contract, safe CSV reading, validation, typed tables, country profiles."""
