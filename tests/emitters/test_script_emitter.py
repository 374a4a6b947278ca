"""script.csx from the HostChoice model: what the C# holds, and that it keeps to the rules
Microsoft documents for custom code (the C# itself is not compiled offline)."""

from __future__ import annotations

import re
from dataclasses import replace

from retarus_connector.emitters.script import csharp_string, script_source
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import HostChoice

# Microsoft's list of the namespaces custom code may use ("Write code in a custom connector").
SUPPORTED_NAMESPACES = {
    "System",
    "System.Collections",
    "System.Collections.Generic",
    "System.Diagnostics",
    "System.IO",
    "System.IO.Compression",
    "System.Linq",
    "System.Net",
    "System.Net.Http",
    "System.Net.Http.Headers",
    "System.Net.Security",
    "System.Security.Authentication",
    "System.Security.Cryptography",
    "System.Text",
    "System.Text.RegularExpressions",
    "System.Threading",
    "System.Threading.Tasks",
    "System.Web",
    "System.Xml",
    "System.Xml.Linq",
    "System.Drawing",
    "System.Drawing.Drawing2D",
    "System.Drawing.Imaging",
    "Microsoft.Extensions.Logging",
    "Newtonsoft.Json",
    "Newtonsoft.Json.Linq",
}


def _choice() -> HostChoice:
    assert CONNECTOR.host_choice is not None
    return CONNECTOR.host_choice


def table_of(source: str) -> dict[str, str]:
    """The BaseUrls table as the C# initializer writes it."""
    block = source.split("BaseUrls =", 1)[1].split("};", 1)[0]
    return dict(re.findall(r'\{ "([^"]*)", "([^"]*)" \}', block))


def operations_of(source: str) -> list[str]:
    block = source.split("ChosenOperations =", 1)[1].split("};", 1)[0]
    return re.findall(r'^\s+"([^"]+)",$', block, flags=re.M)


def constant_of(source: str, name: str) -> str:
    match = re.search(rf'private const string {name} = "([^"]*)";', source)
    assert match is not None, name
    return match.group(1)


def test_the_table_operations_and_header_come_from_the_model() -> None:
    source = script_source(_choice())
    assert table_of(source) == dict(_choice().base_urls)
    assert table_of(source) == {
        "de1": "https://sms4a.de1.retarus.com/rest/v1",
        "de2": "https://sms4a.de2.retarus.com/rest/v1",
    }
    assert operations_of(source) == list(_choice().operation_ids)
    assert constant_of(source, "ChoiceHeader") == "dataCenter"
    assert constant_of(source, "DefaultChoice") == "de2"
    assert constant_of(source, "BasePath") == "/rest/v1"
    assert constant_of(source, "Refusal") == _choice().refusal


def test_the_header_never_reaches_a_url() -> None:
    """The only URL the script builds starts with a value of the table, never with the text of
    the request: the header's value is used as a dictionary key and nothing else."""
    source = script_source(_choice())
    assert source.count("new Uri(") == 1
    assert "new Uri(baseUrl.TrimEnd('/') + rest + original.Query)" in source
    assert "BaseUrls.TryGetValue(Choice(request), out baseUrl)" in source
    assert "StringComparer.Ordinal" in source  # de1 only, not DE1
    # a refused value is answered before SendAsync, which appears once, after the rewrite
    assert source.count("SendAsync(") == 1
    assert source.index("return Answer(HttpStatusCode.BadRequest") < source.index("SendAsync(")


def test_keeps_to_what_microsoft_documents_for_custom_code() -> None:
    source = script_source(_choice())
    usings = re.findall(r"^using ([\w.]+);$", source, flags=re.M)
    assert usings
    assert set(usings) <= SUPPORTED_NAMESPACES
    assert re.search(r"^public class Script : ScriptBase$", source, flags=re.M)
    assert "public override async Task<HttpResponseMessage> ExecuteAsync()" in source
    assert "HttpClient" not in source  # Context.SendAsync only
    assert len(source.encode("utf-8")) < 1024 * 1024
    assert source.isascii()
    assert source.count("{") == source.count("}")


def test_a_base_path_of_slash_keeps_the_whole_path() -> None:
    choice = replace(_choice(), base_path="/")
    assert constant_of(script_source(choice), "BasePath") == ""


def test_csharp_strings_escape_what_would_end_them() -> None:
    assert csharp_string('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert csharp_string("line\nbreak") == '"line\\nbreak"'
    assert csharp_string("caf\u00e9") == '"caf\\u00e9"'


def test_deterministic() -> None:
    assert script_source(_choice()) == script_source(_choice())
