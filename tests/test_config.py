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


def _parsed_anew(monkeypatch, path):
    """The settings of a file, parsed with tomllib (nothing kept in the home read or written)."""
    with monkeypatch.context() as patch:
        patch.setenv("REPAIR_NO_PACK_CACHE", "1")
        return load_settings(path)


def test_a_kept_table_gives_the_settings_a_parse_gives(tmp_path, monkeypatch):
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPAIR_NO_PACK_CACHE", raising=False)
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.repair]\nlanguage = "de"\nlanguagetool-timeout = 30\n'
                    '[tool.repair.formats]\n"docs/*.txt" = "markdown"\n"*.txt" = "text"\n', encoding="utf-8")
    first = load_settings(path)  # parsed, then kept
    assert list((tmp_path / "home" / "config").glob("*.json"))
    import tomllib

    monkeypatch.setattr(tomllib, "loads", lambda text: pytest.fail("an unchanged file was parsed again"))
    second = load_settings(path)
    assert find_config(tmp_path) == path
    monkeypatch.undo()
    assert first == second == _parsed_anew(monkeypatch, path)
    assert second.formats == (("docs/*.txt", "markdown"), ("*.txt", "text"))  # in the file's order
    assert second.languagetool_timeout == 30.0 and isinstance(second.languagetool_timeout, float)


def test_a_file_without_the_table_is_kept_as_such_and_an_edit_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPAIR_NO_PACK_CACHE", raising=False)
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(folder) != folder / "pyproject.toml"
    assert find_config(folder) != folder / "pyproject.toml"  # (kept: no table)
    (folder / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.repair]\nlanguage = "fr"\n', encoding="utf-8")
    assert find_config(folder) == folder / "pyproject.toml"
    assert load_settings(folder / "pyproject.toml").language == "fr"


def test_invalid_toml_is_an_error_every_time_and_a_date_is_never_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPAIR_NO_PACK_CACHE", raising=False)
    path = tmp_path / "repair.toml"
    path.write_text('language = "de\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid TOML"):
            load_settings(path)
    path.write_text("language = 1979-05-27\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="must be a str"):
            load_settings(path)
    assert not list((tmp_path / "home").glob("config/*.json"))
