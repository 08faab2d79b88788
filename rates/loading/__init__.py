"""YAML -> domain objects: the merchant's operations, carriers, rules and inventory.

    from rates.loading import load_setup
    setup = load_setup(Path("config.example.yaml"), today=date.today())
"""

from rates.loading.builder import Setup, load_setup

__all__ = ["Setup", "load_setup"]
