"""Pure analysis functions: DataFrame in, DataFrame or small dataclass out."""
