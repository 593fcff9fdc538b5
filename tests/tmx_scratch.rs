#[test]
fn scratch() {
    for e in std::fs::read_dir("/work/shared/fixtures/tmx/lisa-compliance-kit").unwrap() {
        let p = e.unwrap().path();
        if p.extension().map_or(true, |x| x != "tmx") {
            continue;
        }
        match korpu::formats::tmx::TmxReader::from_path(&p) {
            Err(e) => println!("{}: OPEN ERR {e}", p.display()),
            Ok(mut r) => {
                let res: Vec<_> = r.by_ref().collect();
                let ok = res.iter().filter(|r| r.is_ok()).count();
                println!(
                    "{}: v{} enc {} units {ok} errs {:?} warns {:?}",
                    p.file_name().unwrap().to_str().unwrap(),
                    r.version(),
                    r.encoding(),
                    res.iter()
                        .filter_map(|r| r.as_ref().err())
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>(),
                    r.warnings().iter().map(|w| w.to_string()).collect::<Vec<_>>()
                );
            }
        }
    }
}
