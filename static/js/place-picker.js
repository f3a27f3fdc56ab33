// The place picker: county → township (→ station), each list loaded from the public API
// when the one above changes. It serves the opinion form and the region filters of the
// public lists; each picker says its empty labels in data- attributes. Without this
// script (or when a list fails to load) the form's buttons bring the next list: the
// form's "show" buttons, a filter form's own button.
(() => {
  if (!window.fetch) return;
  document.querySelectorAll("[data-place-picker]").forEach((picker) => {
    const county = picker.querySelector("#id_county");
    const township = picker.querySelector("#id_region");
    const station = picker.querySelector("#id_station");
    const status = picker.querySelector("[data-place-status]");
    const buttons = picker.querySelectorAll("[data-nojs]");
    const stationEmpty = station ? picker.dataset.stationEmpty || station.options[0].text : "";
    const stationFirst = picker.dataset.chooseTownshipFirst || stationEmpty;
    buttons.forEach((button) => { button.hidden = true; });

    function fill(select, emptyLabel, options) {
      if (!select) return;
      select.length = 0;
      select.add(new Option(emptyLabel, ""));
      options.forEach(([value, label]) => select.add(new Option(label, value)));
    }

    // Only the latest request of each list counts: a quick second pick wins.
    const latest = new Map();
    async function load(select, template, code) {
      const url = template.replace("000000000000", code);
      latest.set(select, url);
      status.textContent = picker.dataset.loading;
      select.setAttribute("aria-busy", "true");
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        if (latest.get(select) !== url) return null;
        status.textContent = "";
        return data;
      } catch (error) {
        if (latest.get(select) !== url) return null;
        status.textContent = picker.dataset.failed;
        buttons.forEach((button) => { button.hidden = false; });
        return null;
      } finally {
        select.removeAttribute("aria-busy");
      }
    }

    county.addEventListener("change", async () => {
      latest.delete(station);
      fill(township, picker.dataset.chooseCountyFirst, []);
      fill(station, stationFirst, []);
      if (!county.value) return;
      const data = await load(township, picker.dataset.childrenUrl, county.value);
      if (data) fill(township, picker.dataset.choose, data.children.map((t) => [t.code, t.name]));
    });

    if (!station) return;
    township.addEventListener("change", async () => {
      fill(station, stationFirst, []);
      if (!township.value) return;
      const data = await load(station, picker.dataset.stationsUrl, township.value);
      if (data) fill(station, stationEmpty, data.stations.map((s) => [s.id, `${s.region_name} · ${s.name}`]));
    });
  });
})();
