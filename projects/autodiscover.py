import importlib
import pkgutil


def import_submodules(package_name: str) -> None:
    """Import every module of a package, so a feature can plug in by adding one file
    (its noticeboard section, stage guard, demo step or admin) without editing shared code."""
    package = importlib.import_module(package_name)
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package_name}.{module.name}")
