print("retmpl")
