"""The Flask service: the JSON API, platform callbacks, the support console, keys and
sessions, errors, metrics, and `rates serve` under gunicorn. Views only translate HTTP to
use-case calls (`rates.app`) and back.
"""
