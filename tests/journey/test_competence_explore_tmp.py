from collections import Counter
import datetime as dt
import time
from vagval.jobs.services import ads_ingest
from vagval.jobs.models import JobAd

def test_explore(taxonomy_loaded, real_data_dir):
    from vagval.jobs.places import reset_place_resolver
    reset_place_resolver()
    t=time.time()
    ads_ingest(source="platsbanken-web", paths=[real_data_dir/"jobads/platsbanken_web_2023-08_stockholm_it.jsonl.gz"], workers=1, now=dt.datetime(2023,8,20,tzinfo=dt.UTC))
    print("ingest", time.time()-t)
    c=Counter()
    for occ in JobAd.objects.filter(is_active=True,is_canonical=True).values_list("occupation_ids",flat=True):
        c.update(occ)
    from vagval.taxonomy.selectors import concept_labels, concept_get
    labels=concept_labels(concept_ids=[o for o,_ in c.most_common(15)])
    for o,n in c.most_common(15): print(o, labels.get(o), n)
    from vagval.taxonomy.textmatch import get_matcher
    m=get_matcher()
    for gid in ["DJh5_yyF_hEM"]:
        d=concept_get(concept_id=gid)
        print(d.label_sv, d.extra.get("definition"))
        print(m.find(d.extra.get("definition",""), types=frozenset({"skill"})))
    assert 0
