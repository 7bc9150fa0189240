"""The marketplace's web pages in Chromium: search, a listing with its provenance checked in the browser, the
ledger; no errors in the console, nothing loaded from elsewhere, readable at phone width."""

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

SEVERE = "SEVERE"


def open_page(driver, url):
    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    # Images are decoded once complete; wait for them so that naturalWidth means something.
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete)")
    )


def screenshot(driver, path):
    """The whole page, not only the window: the window is stretched to the page's height for the picture."""
    width, height = driver.get_window_size()["width"], driver.get_window_size()["height"]
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(height, full + 120))
    driver.save_screenshot(path)
    driver.set_window_size(width, height)


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == SEVERE]


def wait_for_provenance(driver):
    """The status line once the script has checked every event."""
    WebDriverWait(driver, 30).until(
        lambda d: "pending" not in d.find_element(By.ID, "verify-status").get_attribute("class")
    )
    return driver.find_element(By.ID, "verify-status")


def listing_links(driver):
    return [a.get_attribute("href").split("/")[-1] for a in driver.find_elements(By.CSS_SELECTOR, "a.card-link")]


def test_search_finds_the_listing_by_a_word_of_its_title_and_by_a_label(browser, node, artefacts):
    open_page(browser, node + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("street")
    browser.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda d: "q=street" in d.current_url)
    assert listing_links(browser) == ["1"]
    assert "Street scenes" in browser.find_element(By.CSS_SELECTOR, ".card h2").text
    facts = browser.find_element(By.CSS_SELECTOR, ".card .facts").text
    assert "100" in facts and "40 tokens" in facts and "commercial" in facts
    screenshot(browser, os.path.join(artefacts, "search.png"))

    open_page(browser, node + "/?label=dog")
    assert listing_links(browser) == ["1"]
    open_page(browser, node + "/?label=giraffe")
    assert listing_links(browser) == []
    assert "No listing matches" in browser.find_element(By.TAG_NAME, "main").text
    open_page(browser, node + "/?q=street&redistribution=true")
    assert listing_links(browser) == [], "the demo's licence does not allow redistribution"
    assert console_errors(browser) == []


def test_previews_load_and_every_image_has_alt_text(browser, node):
    for path in ["/", "/listings/1"]:
        open_page(browser, node + path)
        images = browser.find_elements(By.TAG_NAME, "img")
        assert len(images) >= 2
        for image in images:
            assert int(image.get_attribute("naturalWidth")) > 0, image.get_attribute("src")
            assert image.get_attribute("alt").strip(), image.get_attribute("src")
    assert console_errors(browser) == []


def test_listing_page_shows_the_score_the_licence_and_verified_provenance(browser, node, artefacts):
    open_page(browser, node + "/listings/1")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "qa-score").text == "Score 100 / 100"
    assert "training and evaluating machine-learning models" in main
    assert "sharing or reselling the data itself" in main
    assert "Escrow.DisputeOpened" in main and "Escrow.Ruling" in main
    status = wait_for_provenance(browser)
    cells = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "tr.event td.verify")]
    assert len(cells) >= 10
    assert all(text == "verified in your browser" for text in cells), cells
    assert "verified" in status.get_attribute("class").split()
    assert status.text.startswith(f"All {len(cells)} events verified in your browser")
    screenshot(browser, os.path.join(artefacts, "listing.png"))
    assert console_errors(browser) == []


def test_a_tampered_proof_is_shown_as_a_failure(browser, tampering_node, artefacts):
    open_page(browser, tampering_node + "/listings/1")
    status = wait_for_provenance(browser)
    assert "failed" in status.get_attribute("class").split()
    assert "do not trust" in status.text
    cells = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "tr.event td.verify")]
    failed = [text for text in cells if text.startswith("FAILED")]
    assert failed and all("checkpoint's root" in text for text in failed), cells
    screenshot(browser, os.path.join(artefacts, "listing-tampered.png"))
    assert console_errors(browser) == []


def test_ledger_page_shows_the_checkpoint_and_links_to_listings(browser, node, artefacts):
    open_page(browser, node + "/ledger")
    key = browser.find_element(By.ID, "verifier-key").text
    assert key.startswith("lightbox.ledger/") and key.count("+") >= 2
    assert "— lightbox.ledger/" in browser.find_element(By.CSS_SELECTOR, "pre.note").text
    links = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "table.events a")}
    assert node + "/listings/1" in links
    screenshot(browser, os.path.join(artefacts, "ledger.png"))
    assert console_errors(browser) == []


def test_nothing_is_loaded_from_elsewhere(browser, node):
    for path in ["/", "/listings/1", "/ledger"]:
        open_page(browser, node + path)
        origins = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
        )
        assert origins and set(origins) == {node}, origins


def test_every_page_fits_a_phone(phone, node, artefacts):
    for name, path in [("search", "/"), ("listing", "/listings/1"), ("ledger", "/ledger")]:
        open_page(phone, node + path)
        if path.startswith("/listings/"):
            wait_for_provenance(phone)
        overflow = phone.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow} px wider than a phone's screen"
        screenshot(phone, os.path.join(artefacts, f"phone-{name}.png"))
    assert console_errors(phone) == []


def test_errors_are_pages(browser, node):
    open_page(browser, node + "/listings/999")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "there is no listing 999" in browser.find_element(By.TAG_NAME, "main").text
    open_page(browser, node + "/?min_score=lots")
    assert "min_score must be a whole number" in browser.find_element(By.TAG_NAME, "main").text
    # The browser logs the 404 and 400 themselves as failed loads; nothing else may be in the console.
    errors = [e for e in console_errors(browser) if "status of 40" not in e["message"]]
    assert errors == []
