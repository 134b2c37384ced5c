"""The pages in a real browser (Debian's headless Chromium, driven by
Selenium through chromedriver): what a person sees.  A blocked fetcher
appears without a reload, a deleted variable disappears, a value holding
<script> shows as text and runs nothing.  Screenshots of every page go to
$NWS_SCREENSHOT_DIR (default build-web/screenshots), printed at the end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ROOT, wait_until

from nws.sleigh import Sleigh

import web_tasks

HERE = os.path.dirname(os.path.abspath(__file__))
SHOTS = Path(os.environ.get("NWS_SCREENSHOT_DIR") or ROOT / "build-web" / "screenshots")
EVIL = "<script>window.__nws_pwned = true</script><img src=x onerror=\"window.__nws_pwned = true\">"


def q(s):
    return urllib.parse.quote(s, safe="")


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="nws-chromium-")
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    # Headless, and nothing that reaches for the network beyond localhost.
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1280,860", "--user-data-dir=" + profile):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
    print("\nscreenshots of the web interface: %s" % SHOTS)


def shot(driver, name):
    path = SHOTS / (name + ".png")
    assert driver.save_screenshot(str(path)), "no screenshot " + name
    assert path.stat().st_size > 5000


def wait(driver, timeout=10):
    # The page replaces its content every second: an element found a moment
    # ago may be gone; the wait just looks again.
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException])


def click_delete(driver, var):
    """Clicks the Delete button on `var`'s row (found afresh if the page
    refreshed under us)."""
    def attempt(d):
        row = row_of(d, "variables", var)
        if row is None:
            return False
        row.find_element(By.CSS_SELECTOR, "form.delete button").click()
        return True
    wait(driver).until(attempt)


def row_of(driver, table_id, first_cell_text):
    for row in driver.find_elements(By.CSS_SELECTOR, "#%s tbody tr" % table_id):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells and cells[0].text == first_cell_text:
            return row
    return None


@pytest.fixture(scope="module")
def scene(server):
    """A pipeline's workspace as a person would find it: jobs queued, a
    result or two, a value from another language, a log line with markup."""
    from nws.client import NetWorkSpace
    ws = NetWorkSpace("pipeline", serverHost=server.host, serverPort=server.port, persistent=True)
    ws.declare("jobs", "fifo")
    for i in range(5):
        ws.store("jobs", "job %d: fit model on shard %d" % (i, i))
    ws.store("results", {"shard": 0, "rmse": 0.183})
    ws.store("config", "alpha=0.5\nmax_iter=200")
    ws.store("note", EVIL)
    ws.store("doomed", "delete me from the page")
    ws.store("kept", "this one stays")
    yield ws
    ws.close()


def test_the_workspace_list(server, browser, scene):
    browser.get(server.base_url + "/doit?op=listWss")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Workspaces"
    text = wait(browser).until(lambda d: (r := row_of(d, "workspaces", "pipeline")) and r.text)
    assert "True" in text  # persistent
    shot(browser, "workspaces")


def test_a_blocked_fetcher_appears_without_a_reload(server, browser, scene, blocked):
    browser.get(server.base_url + "/doit?op=listVars&wsName=pipeline")
    row = wait(browser).until(lambda d: row_of(d, "variables", "jobs"))
    assert wait(browser).until(lambda d: row_of(d, "variables", "answers") is None)
    fetcher = blocked("pipeline", "answers")
    # The page refreshes its content by itself: the waiting row shows up.
    fetchers, klass = wait(browser).until(
        lambda d: (r := row_of(d, "variables", "answers")) and "#" in r.text and
        (r.find_element(By.CSS_SELECTOR, "td.fetchers").text, r.get_attribute("class")))
    assert "127.0.0.1:" in fetchers and "waiting" in klass
    shot(browser, "variables")

    browser.get(server.base_url + "/doit?op=listClients")
    wait(browser).until(lambda d: "fetch answers in pipeline" in d.find_element(By.ID, "connections").text)
    shot(browser, "connections")
    scene.store("answers", 42)
    fetcher.finish()
    assert fetcher.result == 42


def test_a_value_holding_script_shows_as_text_and_runs_nothing(server, browser, scene):
    browser.get(server.base_url + "/doit?op=showVar&wsName=pipeline&varName=note")
    text = wait(browser).until(lambda d: d.find_element(By.CSS_SELECTOR, "#values li").text)
    assert text == EVIL
    assert browser.find_elements(By.CSS_SELECTOR, "#values img") == []
    assert browser.execute_script("return window.__nws_pwned") is None
    # A name holding markup is text too.
    browser.get(server.base_url + "/doit?op=listVars&wsName=pipeline")
    wait(browser).until(lambda d: row_of(d, "variables", "note"))
    assert browser.execute_script("return window.__nws_pwned") is None


def test_values_of_every_kind(server, browser, scene):
    browser.get(server.base_url + "/doit?op=showVar&wsName=pipeline&varName=jobs")
    texts = wait(browser).until(lambda d: [i.text for i in d.find_elements(By.CSS_SELECTOR, "#values li")])
    assert texts == ["job %d: fit model on shard %d" % (i, i) for i in range(5)]
    shot(browser, "values")
    browser.get(server.base_url + "/doit?op=showVar&wsName=pipeline&varName=results")
    text = wait(browser).until(lambda d: d.find_element(By.CSS_SELECTOR, "#values li").text)
    assert "written by Python" in text


def test_deleting_asks_first_then_the_variable_disappears(server, browser, scene):
    browser.get(server.base_url + "/doit?op=listVars&wsName=pipeline")
    click_delete(browser, "kept")
    alert = wait(browser).until(EC.alert_is_present())
    assert "Delete variable 'kept'" in alert.text
    alert.dismiss()  # changed our mind: nothing happens
    assert scene.findTry("kept") == "this one stays"

    click_delete(browser, "doomed")
    wait(browser).until(EC.alert_is_present()).accept()
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#variables") and
                        row_of(d, "variables", "doomed") is None and row_of(d, "variables", "kept") is not None)
    assert "wsName=pipeline" in browser.current_url
    assert scene.findTry("doomed") is None


def test_the_sleigh_monitor(server, browser):
    with Sleigh(nwsHost=server.host, nwsPort=server.port, workerCount=2, modulePath=HERE) as s:
        assert s.eachElem(web_tasks.square, list(range(40))) == [x * x for x in range(40)]
        s.eachElem(web_tasks.fail_on_three, [3])
        browser.get(server.base_url + "/doit?op=listWss")
        link = wait(browser).until(lambda d: d.find_element(By.LINK_TEXT, "Sleigh Monitor"))
        link.click()
        wait(browser).until(lambda d: d.find_element(By.ID, "tasks-done").text == "41")
        total, workers, errors = wait(browser).until(lambda d: (
            d.find_element(By.ID, "total-tasks").text, len(d.find_elements(By.CSS_SELECTOR, "#workers tbody tr")),
            d.find_element(By.ID, "errors").text))
        assert total == "41" and workers == 2
        assert "three is not allowed" in errors
        shot(browser, "sleigh-monitor")


def test_the_manual_launch_flow(server, browser):
    """launch='web', as the original's users did it: the master waits; a
    person reads runMe on the page, runs it on a worker machine, then
    deletes deleteMeWhenAllWorkersStarted from the page, and the sleigh goes."""
    made = {}
    master = threading.Thread(target=lambda: made.update(
        sleigh=Sleigh(nwsHost=server.host, nwsPort=server.port, launch="web", modulePath=HERE)))
    master.start()
    try:
        # The workspace list offers the new sleigh's monitor; its variables hold runMe.
        browser.get(server.base_url + "/doit?op=listWss")

        def run_me_link(d):
            d.get(server.base_url + "/doit?op=listWss")
            for row in d.find_elements(By.CSS_SELECTOR, "#workspaces tbody tr"):
                name = row.find_elements(By.TAG_NAME, "td")[0].text
                if name.startswith("sleigh_ride_"):
                    d.get(server.base_url + "/doit?op=listVars&wsName=" + q(name))
                    if row_of(d, "variables", "runMe"):
                        return name
            return None
        ws_name = wait(browser, 30).until(run_me_link)
        browser.get(server.base_url + "/doit?op=showVar&wsName=%s&varName=runMe" % q(ws_name))
        command = wait(browser).until(lambda d: d.find_element(By.CSS_SELECTOR, "#values li").text)
        assert command.startswith("import nws.sleigh; nws.sleigh.launch('%s'" % ws_name)
        shot(browser, "manual-launch-runme")
        # "Paste it into a Python session on the worker machine."
        env = dict(os.environ, PYTHONPATH=HERE)
        for _ in range(2):
            subprocess.run([sys.executable, "-c", command], env=env, check=True, timeout=30)
        wait_until(lambda: len(server.get_json("/api/sleigh?ws=" + q(ws_name))["workers"]) == 2, 30,
                   "the two workers to join")
        # Then delete the variable the master waits on, from the page.
        browser.get(server.base_url + "/doit?op=listVars&wsName=" + q(ws_name))
        click_delete(browser, "deleteMeWhenAllWorkersStarted")
        wait(browser).until(EC.alert_is_present()).accept()
        master.join(30)
        assert not master.is_alive(), "the master did not go on once the variable was deleted"
        s = made["sleigh"]
        assert s.eachElem(web_tasks.square, list(range(6))) == [0, 1, 4, 9, 16, 25]
    finally:
        if "sleigh" in made:
            made["sleigh"].stop()


def test_the_confirmation_page(server, browser, scene):
    browser.get(server.base_url + "/doit?op=confirmDeleteVar&wsName=pipeline&varName=kept")
    assert wait(browser).until(lambda d: d.find_element(By.TAG_NAME, "h1").text) == "Delete?"
    shot(browser, "confirm-delete")
    browser.find_element(By.LINK_TEXT, "Cancel").click()
    wait(browser).until(lambda d: "op=showVar" in d.current_url)
    assert scene.findTry("kept") == "this one stays"


def test_the_server_page(server, browser):
    browser.get(server.base_url + "/doit?op=showServerInfo")
    text = wait(browser).until(lambda d: d.find_element(By.ID, "server").text)
    assert "127.0.0.1:%d" % server.port in text
    shot(browser, "server")
