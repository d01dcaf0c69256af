"""Configuration: found by walking up, strict about keys, overridden by the command line."""

from __future__ import annotations

import pytest

from repair.config import ConfigError, find_config, load_settings, resolve_settings


def test_pyproject_table_is_found_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nlanguage = "de"\nignore = ["WEB"]\n', encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    found = find_config(nested)
    assert found == tmp_path / "pyproject.toml"
    settings = load_settings(found)
    assert settings.language == "de" and settings.ignore == ("WEB",)


def test_pyproject_without_the_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) is None or find_config(tmp_path) != tmp_path / "pyproject.toml"


def test_repair_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.repair]\nlanguage = "de"\n', encoding="utf-8")
    (tmp_path / "repair.toml").write_text('language = "fr"\n', encoding="utf-8")
    assert load_settings(find_config(tmp_path)).language == "fr"


def test_unknown_key_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "repair.toml"
    path.write_text('langauge = "en"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert str(path) in str(raised.value) and "'langauge'" in str(raised.value)


def test_wrong_type_is_an_error(tmp_path):
    path = tmp_path / "repair.toml"
    path.write_text('select = "FR"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="list of strings"):
        load_settings(path)


def test_rule_folders_resolve_relative_to_the_config(tmp_path):
    (tmp_path / "my-rules").mkdir()
    path = tmp_path / "repair.toml"
    path.write_text('rules = ["my-rules"]\n', encoding="utf-8")
    assert load_settings(path).rules == (str((tmp_path / "my-rules").resolve()),)


def test_missing_rule_folder_is_an_error(tmp_path):
    path = tmp_path / "repair.toml"
    path.write_text('rules = ["nowhere"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="nowhere"):
        load_settings(path)


def test_explicit_config_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        resolve_settings([str(tmp_path)], str(tmp_path / "absent.toml"))
