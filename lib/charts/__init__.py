"""Plotly figure builders; every figure uses the `linkscope` template from lib.charts.base."""
