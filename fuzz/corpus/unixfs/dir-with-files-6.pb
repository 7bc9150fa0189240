8
$U ª<ÙprÍ»qå3mU‡¼þ<‚Dsìj«‹L°{L»ascii-copy.txt3
$U ª<ÙprÍ»qå3mU‡¼þ<‚Dsìj«‹L°{L»	ascii.txt3
$U ©HO/G›—iK0K.ÑÁÍ*Àû…Ò™¡’¤G	hello.txt9
$p ÂD ?³­.àÊU#¾„m?(°úÿ‚jc2zmultiblock.txt÷	
